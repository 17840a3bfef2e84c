import { ledgerRecordSchema } from '@sw/persistence';
import { fullLedgerRecord } from '../testing/ledger.factory';
import { columnLetter, columnOfPath, LedgerFileError, readLedgerFile, recordInput, writeLedgerCsv, writeLedgerXlsx } from './ledger-file.codec';
import { LEDGER_LAYOUT } from './ledger-layout.constants';

describe('ledger files', () => {
  it('CSV: BOM, Chinese or code-name headers, line numbers of the file (blank and multi-line rows included)', async () => {
    const csv = Buffer.from('\ufeffname,USCC,regionCode,风险类别\n\n"甲\n公司",X1,320505,steel\n乙,X2,320506,"metal_dust；wood_dust"\n', 'utf8');
    const sut = await readLedgerFile(csv, 'csv');
    const columns = { name: 'A', uscc: 'B', regionCode: 'C', riskCategories: 'D' };
    expect(sut).toEqual([
      { line: 4, cells: { name: '甲\n公司', uscc: 'X1', regionCode: '320505', riskCategories: 'steel' }, columns },
      { line: 5, cells: { name: '乙', uscc: 'X2', regionCode: '320506', riskCategories: 'metal_dust；wood_dust' }, columns },
    ]);
    expect(recordInput(sut[1]!.cells)).toMatchObject({ riskCategories: ['metal_dust', 'wood_dust'], dustWorkers: null, status: 'operating' });
  });

  it('a header without the required columns is refused as a whole', async () => {
    await expect(readLedgerFile(Buffer.from('a,b\n1,2\n'), 'csv')).rejects.toThrow(LedgerFileError);
    await expect(readLedgerFile(Buffer.from('not a zip'), 'xlsx')).rejects.toThrow(LedgerFileError);
  });

  it('writes CSV with a BOM and CRLF, and XLSX that reads back to the same cells, in the trade’s words', async () => {
    const record = fullLedgerRecord();
    const csv = writeLedgerCsv([record]);
    expect(csv.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    const fromCsv = await readLedgerFile(csv, 'csv');
    const fromXlsx = await readLedgerFile(await writeLedgerXlsx([record]), 'xlsx');
    expect(fromXlsx).toEqual(fromCsv);
    expect(fromCsv[0]?.cells).toMatchObject({
      riskCategories: '铝加工（深井铸造）;金属粉尘',
      industry: '有色',
      scale: '规上',
      status: '在产',
      coordSystem: 'GCJ-02',
      'processFlags.castingFurnace': '固定式',
      'processFlags.wireRopeCaster': '是',
      'processFlags.confinedSpaceGases': '硫化氢;一氧化碳',
      standardizationGrade: '三级',
      threeSimultaneity: '二期铸造车间扩建|2025-01-10|2025-02-20|2025-09-30;熔铸技改|2026-03-01||',
    });
  });

  // issue 20: one layout round-trips every field
  it('every field of a record survives write → read → validate, in CSV and XLSX', async () => {
    const record = fullLedgerRecord();
    for (const file of [writeLedgerCsv([record]), await writeLedgerXlsx([record])]) {
      const [row] = await readLedgerFile(file, file.subarray(0, 2).toString() === 'PK' ? 'xlsx' : 'csv');
      expect(ledgerRecordSchema.parse(recordInput(row!.cells))).toEqual(record);
    }
    const empty = fullLedgerRecord({ processFlags: {}, processes: [], threeSimultaneity: [], standardizationGrade: null, standardizationValidUntil: null, standardizationRevokedOn: null });
    const [row] = await readLedgerFile(writeLedgerCsv([empty]), 'csv');
    expect(ledgerRecordSchema.parse(recordInput(row!.cells))).toEqual(empty);
  });

  it('every layout column is a distinct field with a distinct Chinese header', () => {
    expect(new Set(LEDGER_LAYOUT.map((c) => c.key)).size).toBe(LEDGER_LAYOUT.length);
    expect(new Set(LEDGER_LAYOUT.map((c) => c.header)).size).toBe(LEDGER_LAYOUT.length);
    for (const c of LEDGER_LAYOUT) expect(c.header).toMatch(/[\u4e00-\u9fff]/);
  });

  it('maps validation paths to columns; column letters past Z', () => {
    expect(columnOfPath(['processFlags', 'ammoniaChargeKg'])?.header).toBe('液氨存量（kg）');
    expect(columnOfPath(['threeSimultaneity', 1, 'reviewedOn'])?.header).toMatch(/^三同时/);
    expect(columnOfPath(['longitude'])?.header).toBe('经度');
    expect([0, 25, 26, 27, 51, 52].map(columnLetter)).toEqual(['A', 'Z', 'AA', 'AB', 'AZ', 'BA']);
  });
});
