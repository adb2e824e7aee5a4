// Reads the public time-axis views (house week, house day, room week) back out of the rendered HTML, the way a
// test needs them: per day and room, the note of an empty cell and the entries with their place on the axis.
// Written against the markup (views/public/board.ejs), not against the view model that produced it.

export interface BoardEntry {
  kind: string;
  /** Grid lines on the quarter-hour axis (1 = the axis' first line). */
  start: number;
  end: number;
  /** The entry's text, tags removed, as a screen reader reads it (visually hidden parts included). */
  text: string;
  href: string | null;
}

export interface BoardCellRead {
  date: string;
  /** The room's name in the cell's heading ('' in a room's own week, which has none). */
  room: string;
  today: boolean;
  note: string | null;
  entries: BoardEntry[];
  /** The cell's whole text. */
  text: string;
  html: string;
}

const ENTITIES: Record<string, string> = { '&amp;': '&', '&lt;': '<', '&gt;': '>', '&#34;': '"', '&#39;': "'", '&quot;': '"' };

export function textOf(html: string): string {
  return html
    .replace(/<[^>]*>/g, ' ')
    .replace(/&[#a-z0-9]+;/gi, (e) => ENTITIES[e] ?? e)
    .replace(/\s+/g, ' ')
    .replace(/ ([:,)])/g, '$1')
    .trim();
}

/** The board's cells in DOM order (the agenda order: day by day, room by room). */
export function boardCells(html: string): BoardCellRead[] {
  const board = html.slice(html.indexOf('<div class="board '));
  if (board.length === html.length + 1) throw new Error('no board on the page');
  const out: BoardCellRead[] = [];
  for (const group of board.split('<div class="board-group">').slice(1)) {
    const date = /id="d-(\d{4}-\d{2}-\d{2})"/.exec(group)?.[1];
    if (!date) throw new Error('a day without its date');
    for (const m of group.matchAll(/<div class="cell ([^"]*)">([\s\S]*?)<\/div>/g)) {
      const body = m[2]!;
      const head = /class="cell-head"><a href="[^"]*">([^<]*)<\/a>/.exec(body);
      const note = /<p class="note[^"]*">([^<]*)<\/p>/.exec(body);
      const entries = [...body.matchAll(/<li class="e e-(\w+) qs-(\d+) qe-(\d+)">([\s\S]*?)<\/li>/g)].map((e) => ({
        kind: e[1]!,
        start: Number(e[2]),
        end: Number(e[3]),
        text: textOf(e[4]!),
        href: /href="([^"]*)"/.exec(e[4]!)?.[1]?.replace(/&amp;/g, '&') ?? null,
      }));
      out.push({
        date,
        room: head ? textOf(head[1]!) : '',
        today: m[1]!.split(' ').includes('today'),
        note: note ? textOf(note[1]!) : null,
        entries,
        text: textOf(body),
        html: body,
      });
    }
  }
  return out;
}

/** The cell of a room on a date (in a room's own week: `room` ''). */
export function boardCell(html: string, room: string, date: string): BoardCellRead {
  const cell = boardCells(html).find((c) => c.room === room && c.date === date);
  if (!cell) throw new Error(`no cell for ${room || 'the room'} on ${date}`);
  return cell;
}

/** The request form parameters of a free entry's link. */
export function linkParams(href: string | null): Record<string, string> {
  if (!href) throw new Error('not a link');
  return Object.fromEntries(new URL(href, 'http://x').searchParams);
}
