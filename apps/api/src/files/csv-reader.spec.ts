import { FileRefusedError } from './file-refused.error';
import { readCsvRecords } from './csv-reader';

describe(readCsvRecords.name, () => {
  it('streams records with the line each ends on, BOM and quoted newlines included', async () => {
    const csv = Buffer.from('\ufeffa,b\n1,"x\ny"\n\n2,3\n');
    expect(await readCsvRecords(csv, { maxRows: 10, maxColumns: 5 })).toEqual([
      { record: ['a', 'b'], line: 1 },
      { record: ['1', 'x\ny'], line: 3 },
      { record: ['2', '3'], line: 5 },
    ]);
  });

  it('reads across 64 KiB chunk boundaries', async () => {
    const rows = Array.from({ length: 5000 }, (_, i) => `企业${i},${'x'.repeat(30)}`);
    const records = await readCsvRecords(Buffer.from(['name,pad', ...rows].join('\r\n')), { maxRows: 5000, maxColumns: 5 });
    expect(records).toHaveLength(5001);
    expect(records[5000]).toEqual({ record: ['企业4999', 'x'.repeat(30)], line: 5001 });
  });

  it('refuses more data rows or columns than allowed (413) and a broken file (400)', async () => {
    const refused = (p: Promise<unknown>) => p.then(() => null, (e: unknown) => (e instanceof FileRefusedError ? [e.status, e.message] : e));
    expect(await refused(readCsvRecords(Buffer.from('h\n1\n2\n3\n'), { maxRows: 2, maxColumns: 5 }))).toEqual([413, 'the CSV file has more than 2 data rows']);
    expect(await refused(readCsvRecords(Buffer.from('a,b,c\n'), { maxRows: 2, maxColumns: 2 }))).toEqual([413, 'line 1 has 3 columns (at most 2)']);
    expect(await refused(readCsvRecords(Buffer.from('a\n"unterminated\n'), { maxRows: 2, maxColumns: 2 }))).toEqual([400, expect.stringMatching(/^not a readable CSV file/)]);
  });
});
