import { newEnterpriseSchema } from '../registry/registry.schema';
import { updateEnterpriseSchema } from '../registry/registry-update.schema';
import { NO_PROCESS_FLAGS, processFlagsSchema, projectSchema } from './ledger-fields.schema';
import { ledgerRecordSchema } from './ledger.schema';

const base = { name: '苏州某铝业有限公司', uscc: '91110108551385082Q', regionCode: '320506', riskCategories: ['aluminum_casting'] };
const issues = (r: { success: boolean; error?: { issues: { path: PropertyKey[]; message: string }[] } }) => (r.error?.issues ?? []).map((i) => `${i.path.join('.')}: ${i.message}`);

describe('ledger fields', () => {
  it('an enterprise with only the identity fields gets empty lists and no flags', () => {
    const sut = newEnterpriseSchema.parse(base);
    expect(sut).toMatchObject({ processes: [], keyEquipment: [], dustKinds: [], threeSimultaneity: [], processFlags: NO_PROCESS_FLAGS, status: 'operating' });
  });

  it('the eight 工贸 sectors, 规上/规下 and the five statuses 开业…关停', () => {
    for (const industry of ['metallurgy', 'nonferrous', 'building_materials', 'machinery', 'light_industry', 'textile', 'tobacco', 'commerce']) {
      expect(newEnterpriseSchema.safeParse({ ...base, industry }).success).toBe(true);
    }
    expect(newEnterpriseSchema.safeParse({ ...base, industry: 'chemicals' }).success).toBe(false);
    expect(newEnterpriseSchema.safeParse({ ...base, scale: 'below_designated' }).success).toBe(true);
    for (const status of ['opened', 'operating', 'suspended', 'out_of_business', 'closed']) expect(newEnterpriseSchema.safeParse({ ...base, status }).success).toBe(true);
  });

  it('coordinates come as a pair, inside China, with their coordinate system', () => {
    expect(newEnterpriseSchema.safeParse({ ...base, longitude: 120.5, latitude: 31.2, coordSystem: 'wgs84' }).success).toBe(true);
    expect(issues(newEnterpriseSchema.safeParse({ ...base, longitude: 120.5, latitude: 31.2 }))).toEqual(['coordSystem: coordinates need their coordinate system (gcj02 or wgs84)']);
    expect(issues(newEnterpriseSchema.safeParse({ ...base, longitude: 120.5, coordSystem: 'gcj02' }))).toEqual(['latitude: longitude and latitude go together']);
    expect(issues(newEnterpriseSchema.safeParse({ ...base, coordSystem: 'gcj02' }))).toEqual(['coordSystem: coordSystem goes with longitude and latitude']);
    expect(newEnterpriseSchema.safeParse({ ...base, longitude: 2.35, latitude: 48.85, coordSystem: 'wgs84' }).success).toBe(false); // Paris
  });

  it('flag details go only with their flag', () => {
    expect(processFlagsSchema.safeParse({ deepWellCasting: true, castingFurnace: 'tilting', wireRopeCaster: true }).success).toBe(true);
    expect(issues(processFlagsSchema.safeParse({ castingFurnace: 'fixed' }))).toEqual(['castingFurnace: castingFurnace goes only with deepWellCasting']);
    expect(issues(processFlagsSchema.safeParse({ ammoniaChargeKg: 500 }))).toEqual(['ammoniaChargeKg: ammoniaChargeKg goes only with ammoniaRefrigeration']);
    expect(issues(processFlagsSchema.safeParse({ confinedSpace: true, confinedSpaceGases: ['h2s', 'h2s'] }))).toEqual(['confinedSpaceGases: has duplicates']);
    expect(processFlagsSchema.safeParse({ confinedSpace: true, confinedSpaceGases: ['nh3'] }).success).toBe(false);
    expect(processFlagsSchema.safeParse({ ammoniaRefrigeration: true, ammoniaChargeKg: -1 }).success).toBe(false);
    expect(processFlagsSchema.safeParse({ unknownFlag: true }).success).toBe(false);
  });

  it('三同时: dates in order designed ≤ reviewed ≤ accepted; list items cannot carry the cell separators', () => {
    expect(projectSchema.safeParse({ name: '扩建', designedOn: '2025-01-01', acceptedOn: '2025-06-01' }).success).toBe(true);
    expect(issues(projectSchema.safeParse({ name: '扩建', designedOn: '2025-03-01', reviewedOn: '2025-02-01' }))).toEqual([': designedOn ≤ reviewedOn ≤ acceptedOn']);
    expect(projectSchema.safeParse({ name: '扩建', designedOn: '2025-02-30' }).success).toBe(false);
    expect(newEnterpriseSchema.safeParse({ ...base, processes: ['熔炼;铸造'] }).success).toBe(false);
  });

  it('standardization dates need a grade; a phone needs its person', () => {
    expect(issues(newEnterpriseSchema.safeParse({ ...base, standardizationValidUntil: '2027-01-01' }))[0]).toMatch(/^standardizationGrade:/);
    expect(issues(ledgerRecordSchema.safeParse({ ...base, actualControllerPhone: '13800001111' }))).toEqual(['actualControllerName: actualControllerPhone needs actualControllerName']);
    expect(newEnterpriseSchema.safeParse({ ...base, principalName: '张三', principalPhone: '010-1234' }).success).toBe(false);
  });

  it('a PATCH leaves absent lists alone (no defaults), checks the pairs it is given, and reasons go with a status', () => {
    expect(updateEnterpriseSchema.parse({ address: '新地址' })).toEqual({ address: '新地址' });
    expect(updateEnterpriseSchema.safeParse({ standardizationValidUntil: '2027-01-01' }).success).toBe(true); // the grade may be stored
    expect(updateEnterpriseSchema.safeParse({ longitude: 120.5 }).success).toBe(false);
    expect(updateEnterpriseSchema.safeParse({ statusReason: '停产整顿' }).success).toBe(false);
    expect(updateEnterpriseSchema.safeParse({ status: 'suspended', statusReason: '停产整顿' }).success).toBe(true);
  });
});
