import { deflateRawSync } from 'node:zlib';
import { Workbook, type Worksheet } from 'exceljs';
import { buildZip, declaredBomb, deflatedPart } from '../testing/zip.factory';
import { FileRefusedError } from './file-refused.error';
import { checkXlsx, columnNumber, readCentralDirectory, sheetExtent, XLSX_DEFAULTS, type XlsxLimits } from './xlsx-guard';

const limits: XlsxLimits = { ...XLSX_DEFAULTS, maxRows: 50_000, maxUncompressedBytes: 64 * 1024 * 1024 };

async function refusal(buf: Buffer, l = limits): Promise<FileRefusedError> {
  const err = await checkXlsx(buf, l).then(
    () => null,
    (e: unknown) => e,
  );
  if (!(err instanceof FileRefusedError)) throw new Error(`expected a FileRefusedError, got ${String(err)}`);
  return err;
}

async function book(fill: (ws: Worksheet) => void): Promise<Buffer> {
  const wb = new Workbook();
  fill(wb.addWorksheet('台账'));
  return Buffer.from(await wb.xlsx.writeBuffer());
}

describe(checkXlsx.name, () => {
  it('lets an ordinary workbook through and reads its central directory', async () => {
    const buf = await book((ws) => {
      ws.addRow(['企业名称', '统一社会信用代码']);
      for (let i = 0; i < 100; i++) ws.addRow([`企业${i}`, `9132050${i}`]);
    });
    await expect(checkXlsx(buf, limits)).resolves.toBeUndefined();
    expect(readCentralDirectory(buf, 100).map((e) => e.name)).toContain('xl/worksheets/sheet1.xml');
  });

  // issue 18 item 7: a 5 MB file with a 4 GiB entry crashed the api
  it('refuses an entry declaring gigabytes from its central directory, before inflating anything (413)', async () => {
    const bomb = declaredBomb();
    expect(bomb.length).toBeLessThan(10 * 1024);
    const err = await refusal(bomb);
    expect(err.status).toBe(413);
    expect(err.message).toMatch(/unpacks to more than 64 MiB/);
  });

  it('refuses an entry that inflates beyond the size it declares (inflate capped at the declared size)', async () => {
    const zeros = Buffer.alloc(8 * 1024 * 1024);
    const liar = buildZip([{ name: 'xl/worksheets/sheet1.xml', stored: deflateRawSync(zeros), method: 8, declaredSize: 1000 }]);
    const err = await refusal(liar);
    expect([err.status, err.message]).toEqual([413, expect.stringMatching(/more than the 1000 bytes it declares/)]);
  });

  it('refuses a compression ratio above 100:1 on a large entry (Apache POI ZipSecureFile)', async () => {
    const err = await refusal(buildZip([deflatedPart('xl/sharedStrings.xml', Buffer.alloc(16 * 1024 * 1024))]));
    expect([err.status, err.message]).toEqual([413, expect.stringMatching(/compressed more than 100:1/)]);
  });

  it('refuses too many entries (413), and a file that is no zip or is damaged (400)', async () => {
    const many = buildZip(Array.from({ length: 20 }, (_, i) => deflatedPart(`x/${i}.xml`, '<a/>')));
    expect((await refusal(many, { ...limits, maxEntries: 10 })).message).toMatch(/20 entries/);
    expect((await refusal(Buffer.from('not a zip, just text'))).status).toBe(400);
    const damaged = Buffer.from(many);
    damaged.writeUInt32LE(0, many.readUInt32LE(many.length - 22 + 16)); // the first central header's signature
    expect((await refusal(damaged)).message).toMatch(/damaged central directory/);
  });

  // issue 18 item 7: a cell at XFD1048576 made the import loop a million rows
  it('refuses a sheet with a cell at XFD1048576 (413), naming the row', async () => {
    const buf = await book((ws) => {
      ws.addRow(['企业名称']);
      ws.getCell('XFD1048576').value = 'far';
    });
    const err = await refusal(buf);
    expect([err.status, err.message]).toEqual([413, expect.stringMatching(/reaches row 1048576/)]);
  });

  it('counts rows and columns from <row r>, <c r>, rows without r, and <dimension ref>', () => {
    expect(sheetExtent('<dimension ref="A1:C3"/><sheetData><row r="1"><c r="A1"/><c r="AB1"/></row><row><c/></row></sheetData>')).toEqual({ rows: 3, columns: 28, cells: 3 });
    expect(sheetExtent('<x:dimension ref="A1:XFD1048576"/>')).toMatchObject({ rows: 1_048_576, columns: 16_384 });
    expect(sheetExtent('<cols><col min="1"/></cols><rowBreaks/>')).toEqual({ rows: 0, columns: 0, cells: 0 });
    expect(columnNumber('XFD')).toBe(16_384);
  });
});
