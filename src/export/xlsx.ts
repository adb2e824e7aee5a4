// The bookings export as a real XLSX workbook (exceljs, loaded on first use, as src/statistics/xlsx.ts does):
// a bold, frozen header row, the date as a date cell and the times as time cells (numbers Excel sorts and sums),
// people as numbers, every text as a string (exceljs never writes a text as a formula).
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
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet(opts.sheet.slice(0, 31), { views: [{ state: 'frozen', ySplit: 1 }] });
  ws.addRow(COLUMNS.map(([, key]) => opts.t(key))).font = { bold: true };
  const dateCol = COLUMNS.findIndex(([k]) => k === 'date');
  const startCol = COLUMNS.findIndex(([k]) => k === 'start');
  const endCol = COLUMNS.findIndex(([k]) => k === 'end');
  let rows = 0;
  for await (const bookings of windows) {
    for (const b of bookings) {
      const row = exportRow(b, opts.zone, opts.t);
      const cells: (string | number | Date)[] = exportCells(row);
      cells[dateCol] = dateCell(row.date);
      cells[startCol] = timeCell(row.start, false);
      cells[endCol] = timeCell(row.end, true);
      ws.addRow(cells);
      rows++;
    }
  }
  ws.getColumn(dateCol + 1).numFmt = opts.dateFormat;
  ws.getColumn(startCol + 1).numFmt = '[hh]:mm';
  ws.getColumn(endCol + 1).numFmt = '[hh]:mm';
  ws.columns.forEach((col, i) => (col.width = i === dateCol ? 12 : i === startCol || i === endCol ? 8 : 20));
  ws.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: COLUMNS.length } };
  return { buffer: Buffer.from(await wb.xlsx.writeBuffer()), rows };
}
