// The bookings export as a real XLSX workbook (exceljs, loaded on first use, as src/statistics/xlsx.ts does):
// a bold, frozen header row, the date as a date cell and the times as time cells (numbers Excel sorts and sums),
// people as numbers, every text as a string (exceljs never writes a text as a formula).
import { Writable } from 'node:stream';
import type { Translate } from '../i18n/index.js';
import type { ExportBooking } from './repository.js';
import { COLUMNS, exportCells, exportRow } from './view.js';

/** A local date as the instant Excel shows as that date (exceljs writes a Date by its UTC day). */
function dateCell(local: string): Date {
  const [y, m, d] = local.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d));
}

/** 'HH:MM' as a fraction of a day, Excel's time value; an end at midnight is 24:00 (1.0). */
function timeCell(hhmm: string, isEnd: boolean): number {
  const [h, m] = hhmm.split(':').map(Number) as [number, number];
  const minutes = h * 60 + m;
  return (isEnd && minutes === 0 ? 24 * 60 : minutes) / (24 * 60);
}

export async function bookingsWorkbook(
  windows: AsyncIterable<ExportBooking[]>,
  opts: { zone: string; t: Translate; sheet: string; dateFormat: string },
): Promise<{ buffer: Buffer; rows: number }> {
  const { default: ExcelJS } = await import('exceljs');
  // Written row by row (exceljs's streaming writer): each row is committed to the zip as it is added, so only the
  // compressed file is held, not a model of every cell. The whole workbook in memory took ~550 MB for three years
  // of a full house (33,000 rows) and would end the process on a 1 GB box (issue 16, BENCHMARKS.md).
  const chunks: Buffer[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      chunks.push(chunk);
      done();
    },
  });
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: sink, useStyles: true, useSharedStrings: false });
  const dateCol = COLUMNS.findIndex(([k]) => k === 'date');
  const startCol = COLUMNS.findIndex(([k]) => k === 'start');
  const endCol = COLUMNS.findIndex(([k]) => k === 'end');
  const ws = wb.addWorksheet(opts.sheet.slice(0, 31), { views: [{ state: 'frozen', ySplit: 1 }] });
  ws.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: COLUMNS.length } };
  // Widths and number formats first: a streamed sheet writes its columns before the first row.
  ws.columns = COLUMNS.map((_, i) =>
    i === dateCol
      ? { width: 12, style: { numFmt: opts.dateFormat } }
      : i === startCol || i === endCol
        ? { width: 8, style: { numFmt: '[hh]:mm' } }
        : { width: 20 },
  );
  const header = ws.addRow(COLUMNS.map(([, key]) => opts.t(key)));
  header.font = { bold: true };
  header.commit();
  let rows = 0;
  for await (const bookings of windows) {
    for (const b of bookings) {
      const row = exportRow(b, opts.zone, opts.t);
      const cells: (string | number | Date)[] = exportCells(row);
      cells[dateCol] = dateCell(row.date);
      cells[startCol] = timeCell(row.start, false);
      cells[endCol] = timeCell(row.end, true);
      ws.addRow(cells).commit();
      rows++;
    }
  }
  ws.commit();
  await wb.commit();
  return { buffer: Buffer.concat(chunks), rows };
}
