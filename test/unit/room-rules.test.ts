import { describe, expect, it } from 'vitest';
import { containsRoom, partsRefusal, roomsMadeOf } from '../../src/rooms/rules.js';
import { clashingPairs, type Occupant } from '../../src/bookings/overlap.js';
import type { PartLink, RoomShape } from '../../src/rooms/graph.js';

// The hall (1) is made of room A (2) and room B (3); the wing (4) is made of the hall and the kitchen (5).
const links: PartLink[] = [
  { wholeId: 1, partId: 2 },
  { wholeId: 1, partId: 3 },
  { wholeId: 4, partId: 1 },
  { wholeId: 4, partId: 5 },
];
const rooms = new Map([1, 2, 3, 4, 5, 6].map((id) => [id, { name: `Room ${id}` }]));

describe('room layout rules', () => {
  it('finds a part at any depth, and not the other way round', () => {
    expect(containsRoom(4, 2, links)).toBe(true);
    expect(containsRoom(1, 5, links)).toBe(false);
    expect(containsRoom(2, 1, links)).toBe(false);
  });

  it('refuses a room as its own part', () => {
    expect(partsRefusal(1, [1], rooms, links)).toEqual({ code: 'part_self' });
  });

  it('refuses a part that does not exist', () => {
    expect(partsRefusal(6, [99], rooms, links)).toEqual({ code: 'part_unknown' });
    expect(partsRefusal(null, [99], rooms, links)).toEqual({ code: 'part_unknown' });
  });

  it('refuses a cycle through any depth and names the part that closes it', () => {
    expect(partsRefusal(2, [4], rooms, links)).toEqual({ code: 'part_cycle', params: { room: 'Room 4' } });
  });

  it('accepts a part shared by several wholes, and any parts for a new room', () => {
    expect(partsRefusal(6, [2, 5], rooms, links)).toBeNull();
    expect(partsRefusal(null, [1, 4], rooms, links)).toBeNull();
    expect(partsRefusal(3, [], rooms, links)).toBeNull();
  });

  it('knows which rooms change with a part: itself and every whole above it', () => {
    expect([...roomsMadeOf(2, links)].sort()).toEqual([1, 2, 4]);
    expect([...roomsMadeOf(5, links)].sort()).toEqual([4, 5]);
  });
});

describe('clashes of a proposed layout', () => {
  const H = 3600_000;
  const shapes = new Map<number, RoomShape>([1, 2, 3, 4, 5].map((id) => [id, { id, bufferBeforeMin: 0, bufferAfterMin: 0 }]));
  const booking = (key: string, roomId: number, start: number, end: number): Occupant & { key: string } => ({
    key,
    kind: 'booking',
    id: Number(key.slice(1)),
    roomId,
    start,
    end,
  });

  it('pairs a booking in a changed room with what meets it in a shared space, once', () => {
    const occupants = [booking('b1', 1, 10 * H, 12 * H), booking('b2', 2, 11 * H, 13 * H), booking('b3', 5, 11 * H, 12 * H)];
    expect(clashingPairs(occupants, shapes, links, new Set([1]))).toEqual([['b1', 'b2']]);
  });

  it('sees no clash between bookings that only touch, or in rooms that share no space', () => {
    const occupants = [booking('b1', 2, 10 * H, 12 * H), booking('b2', 1, 12 * H, 13 * H), booking('b3', 3, 10 * H, 12 * H)];
    expect(clashingPairs(occupants, shapes, links, new Set([1, 2, 3]))).toEqual([]);
  });

  it('widens by the buffers of the proposed shape', () => {
    const buffered = new Map(shapes);
    buffered.set(2, { id: 2, bufferBeforeMin: 0, bufferAfterMin: 30 });
    const occupants = [booking('b1', 2, 10 * H, 12 * H), booking('b2', 1, 12 * H, 13 * H)];
    expect(clashingPairs(occupants, buffered, links, new Set([2]))).toEqual([['b1', 'b2']]);
  });
});
