// Test support: ledger records with every field set (excluded from the build).
import { type LedgerRecord, ledgerRecordSchema } from '@sw/persistence';

/** A deep-well casting enterprise in 吴中区 with every ledger field filled in. */
export function fullLedgerInput(over: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    name: '苏州吴中华铝铸造有限公司',
    uscc: '91110108551385082Q',
    regionCode: '320506',
    riskCategories: ['aluminum_casting', 'metal_dust'],
    industry: 'nonferrous',
    scale: 'above_designated',
    status: 'operating',
    industryDepartment: '吴中区工业和信息化局',
    address: '江苏省苏州市吴中区木渎镇金枫南路 88 号',
    longitude: 120.512345,
    latitude: 31.261234,
    coordSystem: 'gcj02',
    employees: 320,
    principalName: '王建国',
    principalPhone: '13800001111',
    actualControllerName: '王立新',
    actualControllerPhone: '+8613900002222',
    safetyOfficerName: '李安全',
    safetyOfficerPhone: '13700003333',
    processes: ['熔炼', '深井铸造', '均质'],
    keyEquipment: ['30 t 熔铝炉', '1# 深井铸造机'],
    processFlags: {
      deepWellCasting: true,
      castingFurnace: 'fixed',
      wireRopeCaster: true,
      ammoniaRefrigeration: true,
      ammoniaChargeKg: 1200.5,
      chlorine: true,
      confinedSpace: true,
      confinedSpaceGases: ['h2s', 'co'],
      hazardousChemicals: true,
      liquor: true,
      tobaccoFumigation: true,
      spraying: true,
      silo: true,
    },
    dustKinds: ['铝粉', '镁粉'],
    dustWorkers: 24,
    standardizationGrade: 'level_3',
    standardizationValidUntil: '2027-06-30',
    standardizationRevokedOn: '2026-03-01',
    threeSimultaneity: [
      { name: '二期铸造车间扩建', designedOn: '2025-01-10', reviewedOn: '2025-02-20', acceptedOn: '2025-09-30' },
      { name: '熔铸技改', designedOn: '2026-03-01', reviewedOn: null, acceptedOn: null },
    ],
    ...over,
  };
}

export function fullLedgerRecord(over: Record<string, unknown> = {}): LedgerRecord {
  return ledgerRecordSchema.parse({ statusSince: '2025-01-01', statusReason: '复产验收通过', ...fullLedgerInput(over) });
}
