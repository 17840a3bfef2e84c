import { LedgerFileError, readLedgerFile, recordInput, writeLedgerCsv, writeLedgerXlsx } from './ledger-file.codec';

const factory = {
  record: (over: object = {}) => ({
    name: '苏州某某金属制品有限公司',
    uscc: '91110108551385082Q',
    regionCode: '320505',
    riskCategories: ['metal_dust' as const, 'steel' as const],
    dustWorkers: 12,
    employees: null,
    status: 'operating' as const,
    standardizationGrade: 'level_3' as const,
    statusSince: '2025-01-01',
    principalName: '张三',
    principalPhone: '13800000000',
    safetyOfficerName: null,
    safetyOfficerPhone: null,
    ...over,
  }),
};

describe('ledger files', () => {
  it('CSV: BOM, Chinese or code-name headers, line numbers of the file (blank and multi-line rows included)', async () => {
    const csv = Buffer.from('\ufeffname,USCC,regionCode,风险类别\n\n"甲\n公司",X1,320505,steel\n乙,X2,320506,"metal_dust；wood_dust"\n', 'utf8');
    const sut = await readLedgerFile(csv, 'csv');
    expect(sut).toEqual([
      { line: 4, cells: { name: '甲\n公司', uscc: 'X1', regionCode: '320505', riskCategories: 'steel' } },
      { line: 5, cells: { name: '乙', uscc: 'X2', regionCode: '320506', riskCategories: 'metal_dust；wood_dust' } },
    ]);
    expect(recordInput(sut[1]!.cells)).toMatchObject({ riskCategories: ['metal_dust', 'wood_dust'], dustWorkers: null, status: 'operating' });
  });

  it('a header without the required columns is refused as a whole', async () => {
    await expect(readLedgerFile(Buffer.from('a,b\n1,2\n'), 'csv')).rejects.toThrow(LedgerFileError);
    await expect(readLedgerFile(Buffer.from('not a zip'), 'xlsx')).rejects.toThrow(LedgerFileError);
  });

  it('writes CSV with a BOM and CRLF, and XLSX that reads back to the same cells', async () => {
    const csv = writeLedgerCsv([factory.record()]);
    expect(csv.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    const fromCsv = await readLedgerFile(csv, 'csv');
    const fromXlsx = await readLedgerFile(await writeLedgerXlsx([factory.record()]), 'xlsx');
    expect(fromXlsx).toEqual(fromCsv);
    expect(fromCsv[0]?.cells).toMatchObject({ riskCategories: 'metal_dust;steel', dustWorkers: '12', statusSince: '2025-01-01', principalPhone: '13800000000' });
    expect(fromCsv[0]?.cells.employees).toBeUndefined();
  });
});
