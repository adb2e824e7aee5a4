// CSV as German spreadsheets read it: UTF-8 with BOM, ';' as separator, RFC 4180 quoting, formulas neutralised (pure).

export const CSV_SEPARATOR = ';';

/**
 * What a spreadsheet may read as the start of a formula: = + - @ (also their full-width ＝ ＋ － ＠ and small
 * ﹦ ﹢ ﹣ ﹫ forms and the minus sign −, which some spreadsheets fold to ASCII), after any leading spaces; or a
 * leading TAB, CR or LF.
 */
const FORMULA_START = /^(?:[\t\r\n]|[\s\u3000]*[=+\-@\uFF1D\uFF0B\uFF0D\uFF20\uFE66\uFE62\uFE63\uFE6B\u2212])/;

/**
 * One CSV cell. A cell a spreadsheet would read as a formula (FORMULA_START) gets a leading apostrophe (OWASP
 * "CSV injection"); then RFC 4180: quoted when it holds the separator, a quote or a line break, with quotes doubled.
 */
export function csvCell(value: string | number | null | undefined, separator: string = CSV_SEPARATOR): string {
  let s = value === null || value === undefined ? '' : String(value);
  if (FORMULA_START.test(s)) s = `'${s}`;
  if (s.includes(separator) || s.includes(CSV_SEPARATOR) || s.includes('"') || s.includes('\n') || s.includes('\r') || s.includes(',')) {
    s = `"${s.replace(/"/g, '""')}"`;
  }
  return s;
}

/**
 * Rows joined with CRLF (RFC 4180), with the UTF-8 byte order mark first so spreadsheets see umlauts;
 * ';' by default (German Excel), ',' where the reader's spreadsheet expects it.
 */
export function toCsv(rows: (string | number | null | undefined)[][], separator: ';' | ',' = CSV_SEPARATOR): string {
  return '\uFEFF' + rows.map((r) => r.map((c) => csvCell(c, separator)).join(separator)).join('\r\n') + '\r\n';
}
