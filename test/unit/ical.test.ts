import { describe, expect, it } from 'vitest';
import ICAL from 'ical.js';
import { escapeText, foldLine, serializeCalendar, utcDateTime } from '../../src/feeds/ical.js';

function parse(text: string) {
  const comp = new ICAL.Component(ICAL.parse(text));
  return { comp, events: comp.getAllSubcomponents('vevent').map((v) => new ICAL.Event(v)) };
}

describe('the iCalendar writer', () => {
  it('escapes backslash, semicolon, comma and newlines in text', () => {
    expect(escapeText('a\\b;c,d\ne\r\nf')).toBe('a\\\\b\\;c\\,d\\ne\\nf');
  });

  it('writes instants as UTC date-times', () => {
    expect(utcDateTime(Date.UTC(2027, 2, 28, 17, 0))).toBe('20270328T170000Z');
  });

  it('folds long lines at 75 octets without splitting a multi-byte character', () => {
    const line = 'SUMMARY:' + 'Übung für Größere '.repeat(20);
    const folded = foldLine(line);
    const physical = folded.split('\r\n');
    expect(physical.length).toBeGreaterThan(1);
    for (const [i, p] of physical.entries()) {
      expect(Buffer.byteLength(p, 'utf8')).toBeLessThanOrEqual(75);
      if (i > 0) expect(p.startsWith(' ')).toBe(true);
      expect(p).not.toContain('\uFFFD');
    }
    expect(physical.map((p, i) => (i === 0 ? p : p.slice(1))).join('')).toBe(line);
  });

  it('leaves a line of exactly 75 octets alone', () => {
    const line = 'X'.repeat(75);
    expect(foldLine(line)).toBe(line);
    expect(foldLine(line + 'Y')).toBe(`${line}\r\n Y`);
  });

  it('ends every line with CRLF and is read back by ical.js with the same values', () => {
    const text = serializeCalendar({
      name: 'Haus – Saal, groß; "neu"',
      zone: 'Europe/Berlin',
      refreshMinutes: 60,
      events: [
        {
          uid: 'booking-7@example.org',
          start: Date.UTC(2027, 2, 28, 17, 0),
          end: Date.UTC(2027, 2, 28, 19, 0),
          stamp: Date.UTC(2026, 10, 23, 9, 0),
          sequence: 3,
          summary: 'Chor; Proben, laut\\leise',
          description: 'Zeile 1\nZeile 2 mit einer sehr langen Beschreibung, die über fünfundsiebzig Oktette hinausgeht und gefaltet werden muss',
          location: 'Saal A, Haus der Begegnung',
          status: 'TENTATIVE',
          categories: ['Kultur', 'A,B'],
        },
      ],
    });
    expect(text.endsWith('\r\n')).toBe(true);
    expect(text.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
    const { comp, events } = parse(text);
    // X- properties are TEXT by default (RFC 5545 3.8.8.2), so they are escaped; ical.js leaves unknown ones raw.
    expect(comp.getFirstPropertyValue('x-wr-calname')).toBe('Haus – Saal\\, groß\\; "neu"');
    const e = events[0];
    expect(e!.uid).toBe('booking-7@example.org');
    expect(e!.summary).toBe('Chor; Proben, laut\\leise');
    expect(e!.description).toBe('Zeile 1\nZeile 2 mit einer sehr langen Beschreibung, die über fünfundsiebzig Oktette hinausgeht und gefaltet werden muss');
    expect(e!.location).toBe('Saal A, Haus der Begegnung');
    expect(e!.sequence).toBe(3);
    expect(e!.startDate.toJSDate().toISOString()).toBe('2027-03-28T17:00:00.000Z');
    expect(e!.endDate.toJSDate().toISOString()).toBe('2027-03-28T19:00:00.000Z');
    expect(e!.component.getFirstPropertyValue('status')).toBe('TENTATIVE');
    expect(e!.component.getFirstProperty('categories')!.getValues()).toEqual(['Kultur', 'A,B']);
  });

  it('drops control characters that iCalendar text may not hold', () => {
    const text = serializeCalendar({ name: 'x', events: [{ uid: 'u', start: 0, end: 60_000, stamp: 0, sequence: 0, summary: 'a\u0007b' }] });
    expect(parse(text).events[0]!.summary).toBe('ab');
  });
});
