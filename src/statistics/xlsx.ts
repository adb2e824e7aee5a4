// Every statistics table as one sheet of an XLSX workbook (exceljs, loaded on first use): numbers stay numbers,
// texts that a spreadsheet would read as formulas stay texts (exceljs writes them as strings, never formulas).
import type { StatTable } from './view.js';

/** A sheet name Excel accepts: at most 31 characters, none of : \ / ? * [ ], unique in the workbook. */
function sheetName(title: string, taken: Set<string>): string {
  const base =
    title
      .replace(/[:\\/?*[\]]/g, ' ')
      .trim()
      .slice(0, 28) || 'Sheet';
  let name = base;
  for (let i = 2; taken.has(name.toLowerCase()); i++) name = `${base} ${i}`;
  taken.add(name.toLowerCase());
  return name;
}

export async function workbook(tables: readonly StatTable[], about: { house: string; period: string }): Promise<Buffer> {
  const { default: ExcelJS } = await import('exceljs');
  const wb = new ExcelJS.Workbook();
  wb.creator = about.house;
  wb.title = `${about.house} – ${about.period}`;
  const taken = new Set<string>();
  for (const table of tables) {
    const ws = wb.addWorksheet(sheetName(table.title, taken));
    ws.addRow([table.title]).font = { bold: true };
    ws.addRow([about.house, about.period]);
    ws.addRow([]);
    ws.addRow(table.head).font = { bold: true };
    for (const row of table.rows) ws.addRow(row.map((c) => c.value));
    if (table.foot) ws.addRow(table.foot.map((c) => c.value)).font = { bold: true };
    ws.columns.forEach((col, i) => (col.width = i === 0 ? 34 : 16));
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}
