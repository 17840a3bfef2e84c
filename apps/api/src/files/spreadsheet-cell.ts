// CSV/formula injection (OWASP "CSV Injection"): a cell that starts with = + - @ tab or CR is
// read by Excel/LibreOffice as a formula, e.g. =HYPERLINK("http://x","y") in an enterprise name.
// Every exported cell goes through `safeCell`; imports undo it with `unquoteCell`, so an export
// imports back unchanged.

const FORMULA_START = /^[=+\-@\t\r]/;
/** A plain number (as text): a sign and digits are not a formula, so "-12.5" or "+8613800000000" stay. */
const NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;
/** A value that is already a quote plus a formula start: quoted once more, so unquoting is exact. */
const QUOTED_FORMULA = /^'+[=+\-@\t\r]/;

export type CellValue = string | number | boolean | null | undefined;

/** The cell as exported: numbers stay numbers; text that a spreadsheet would run as a formula gets a leading `'`. */
export function safeCell<T extends CellValue>(value: T): T | string {
  if (typeof value !== 'string') return value;
  if ((FORMULA_START.test(value) && !NUMBER.test(value)) || QUOTED_FORMULA.test(value)) return `'${value}`;
  return value;
}

/** An imported cell's text with one `safeCell` quote removed (the inverse of `safeCell` on text). */
export function unquoteCell(text: string): string {
  return QUOTED_FORMULA.test(text) ? text.slice(1) : text;
}
