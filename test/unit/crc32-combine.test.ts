// The gzip trailer of a spliced page (fragment-cache.ts sendAround) carries the CRC-32 of the whole page, combined
// from its pieces' CRCs. The model is zlib's own crc32 over the bytes put together.
import { randomBytes } from 'node:crypto';
import { crc32 } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { crc32Combine, crc32Shift } from '../../src/web/crc32-combine.js';

const LENGTHS = [0, 1, 2, 3, 7, 8, 255, 256, 1000, 4096, 65_537, 300_001];

describe('crc32Combine', () => {
  it('gives the CRC-32 of two byte strings one after the other, for lengths from 0 to 300 kB', () => {
    for (const a of LENGTHS) {
      for (const b of LENGTHS) {
        const A = randomBytes(a);
        const B = randomBytes(b);
        expect(crc32Combine(crc32(A), crc32(B), crc32Shift(b)), `${a} + ${b} bytes`).toBe(crc32(Buffer.concat([A, B])));
      }
    }
  });

  it('chains over three pieces as a page is spliced (start, kept part, end)', () => {
    const [start, part, end] = [randomBytes(2_345), randomBytes(28_000), randomBytes(812)];
    const whole = crc32Combine(crc32Combine(crc32(start), crc32(part), crc32Shift(part.length)), crc32(end), crc32Shift(end.length));
    expect(whole).toBe(crc32(Buffer.concat([start, part, end])));
  });

  it('is zlib CRC-32 of known text (the check value of "123456789")', () => {
    const a = Buffer.from('1234');
    const b = Buffer.from('56789');
    expect(crc32Combine(crc32(a), crc32(b), crc32Shift(b.length))).toBe(0xcbf43926);
  });
});
