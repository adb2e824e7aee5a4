// A small iCalendar (RFC 5545) writer: escaping, UTC date-times, line folding at 75 octets, CRLF.
// Ours rather than a library's: we only write a handful of properties, and each rule below is tested.

export interface IcalEvent {
  uid: string;
  /** Instants (UTC epoch ms); written as UTC date-times (…Z), which every client places correctly. */
  start: number;
  end: number;
  /** Last revision of the event (DTSTAMP). */
  stamp: number;
  sequence: number;
  summary: string;
  description?: string;
  location?: string;
  status?: 'CONFIRMED' | 'TENTATIVE' | 'CANCELLED';
  /** OPAQUE (busy, the default) or TRANSPARENT. */
  transparent?: boolean;
  categories?: string[];
  url?: string;
  /** ORGANIZER (the house): iTIP (RFC 5546) asks for it in PUBLISH and CANCEL files sent by mail. */
  organizer?: { email: string; name?: string };
}

export interface IcalCalendar {
  /** Shown by clients as the calendar's name (X-WR-CALNAME). */
  name: string;
  /** The house's zone, as a hint for clients that show a subscribed calendar (X-WR-TIMEZONE). */
  zone?: string;
  /**
   * For a file attached to a mail: 'PUBLISH' adds or updates the events, 'CANCEL' removes them from the
   * calendar that has them (same UID, higher SEQUENCE). Absent for subscribed feeds.
   */
  method?: 'PUBLISH' | 'CANCEL';
  /** How often subscribing clients should poll, in minutes. */
  refreshMinutes?: number;
  events: IcalEvent[];
}

export const PRODID = '-//Raumbuch//Raumbuch//DE';

/** TEXT value escaping (RFC 5545 3.3.11): backslash, semicolon, comma and newlines. */
export function escapeText(s: string): string {
  return s
    .replace(/\\/g, '\\\\')
    .replace(/;/g, '\\;')
    .replace(/,/g, '\\,')
    .replace(/\r\n|\r|\n/g, '\\n');
}

/** 20270328T170000Z */
export function utcDateTime(instant: number): string {
  return new Date(instant)
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}Z$/, 'Z');
}

/**
 * Folds a content line so no physical line exceeds 75 octets (RFC 5545 3.1): continuation lines start
 * with one space, which counts toward their 75. Never splits a UTF-8 sequence.
 */
export function foldLine(line: string): string {
  const parts: string[] = [];
  let current = '';
  let octets = 0;
  let limit = 75;
  for (const ch of line) {
    const size = Buffer.byteLength(ch, 'utf8');
    if (octets + size > limit) {
      parts.push(current);
      current = '';
      octets = 0;
      limit = 74; // the leading space of a continuation line is one of its 75 octets
    }
    current += ch;
    octets += size;
  }
  parts.push(current);
  return parts.join('\r\n ');
}

function prop(name: string, value: string): string {
  return foldLine(`${name}:${value}`);
}

function textProp(name: string, value: string): string {
  return prop(name, escapeText(value));
}

/** Control characters other than newlines are not allowed in TEXT; drop them. */
function clean(s: string): string {
  // eslint-disable-next-line no-control-regex
  return s.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, '');
}

function eventLines(e: IcalEvent): string[] {
  const lines = [
    'BEGIN:VEVENT',
    prop('UID', clean(e.uid)),
    prop('DTSTAMP', utcDateTime(e.stamp)),
    prop('DTSTART', utcDateTime(e.start)),
    prop('DTEND', utcDateTime(e.end)),
    prop('SEQUENCE', String(Math.max(0, Math.trunc(e.sequence)))),
    textProp('SUMMARY', clean(e.summary)),
  ];
  if (e.description) lines.push(textProp('DESCRIPTION', clean(e.description)));
  if (e.location) lines.push(textProp('LOCATION', clean(e.location)));
  if (e.categories?.length) lines.push(prop('CATEGORIES', e.categories.map((c) => escapeText(clean(c))).join(',')));
  if (e.status) lines.push(prop('STATUS', e.status));
  lines.push(prop('TRANSP', e.transparent ? 'TRANSPARENT' : 'OPAQUE'));
  if (e.url) lines.push(prop('URL', clean(e.url)));
  if (e.organizer) {
    // A parameter value is quoted; it may not hold a double quote (RFC 5545 3.1), so those are dropped.
    const cn = e.organizer.name ? `;CN="${clean(e.organizer.name).replace(/"/g, '')}"` : '';
    lines.push(prop(`ORGANIZER${cn}`, `mailto:${clean(e.organizer.email)}`));
  }
  lines.push('END:VEVENT');
  return lines;
}

/** The whole VCALENDAR as text with CRLF line ends (including after the last line). */
export function serializeCalendar(cal: IcalCalendar): string {
  const lines = ['BEGIN:VCALENDAR', 'VERSION:2.0', prop('PRODID', PRODID), 'CALSCALE:GREGORIAN'];
  if (cal.method) lines.push(`METHOD:${cal.method}`);
  lines.push(textProp('X-WR-CALNAME', clean(cal.name)));
  if (cal.zone) lines.push(prop('X-WR-TIMEZONE', clean(cal.zone)));
  if (cal.refreshMinutes) {
    lines.push(prop('REFRESH-INTERVAL;VALUE=DURATION', `PT${cal.refreshMinutes}M`));
    lines.push(prop('X-PUBLISHED-TTL', `PT${cal.refreshMinutes}M`));
  }
  for (const e of cal.events) lines.push(...eventLines(e));
  lines.push('END:VCALENDAR');
  return lines.join('\r\n') + '\r\n';
}
