import { safeCell, unquoteCell } from './spreadsheet-cell';

// OWASP CSV injection: = + - @ tab CR start a formula in Excel / LibreOffice
describe(safeCell.name, () => {
  it('prefixes a quote to text a spreadsheet would run as a formula', () => {
    expect(safeCell('=HYPERLINK("http://x","y")')).toBe(`'=HYPERLINK("http://x","y")`);
    for (const v of ['+1+cmd|/c calc', '-2+3', '@SUM(A1)', '\t=1', '\r=1', '-', '+']) expect(safeCell(v)).toBe(`'${v}`);
  });

  it('leaves numbers (numbers and number text) and ordinary text alone', () => {
    for (const v of [12.5, -3, 0, null, undefined, true]) expect(safeCell(v)).toBe(v);
    for (const v of ['-12.5', '+8613800000000', '1e5', '测试企业', 'a=b', '320505', '']) expect(safeCell(v)).toBe(v);
  });

  it('round-trips through unquoteCell, also text that already starts with a quote', () => {
    for (const v of ['=1+1', "'=1+1", "''@x", 'plain', "'plain", '-5', '=']) expect(unquoteCell(safeCell(v))).toBe(v);
    expect(unquoteCell("'@x")).toBe('@x');
  });
});
