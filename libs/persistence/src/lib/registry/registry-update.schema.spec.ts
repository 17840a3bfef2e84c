import { calendarDate } from '../ledger/ledger-fields.schema';
import { maintenanceSchema, updateEnterpriseSchema, updatePointSchema } from './registry-update.schema';

describe('registry update schemas', () => {
  it('calendarDate takes real YYYY-MM-DD days only', () => {
    expect(calendarDate.safeParse('2024-02-29').success).toBe(true);
    for (const d of ['2025-02-29', '2026-13-01', '2026-1-1', '2026-01-01T00:00:00Z']) expect(calendarDate.safeParse(d).success).toBe(false);
  });

  it('PATCH /enterprises: any field; effectiveDate only with status; no unknown keys', () => {
    expect(updateEnterpriseSchema.safeParse({ status: 'closed', effectiveDate: '2025-12-31' }).success).toBe(true);
    expect(updateEnterpriseSchema.safeParse({ effectiveDate: '2025-12-31' }).success).toBe(false);
    expect(updateEnterpriseSchema.safeParse({ regionCode: '3205' }).success).toBe(false);
    expect(updateEnterpriseSchema.safeParse({ colour: 'red' }).success).toBe(false);
    expect(updateEnterpriseSchema.parse({ uscc: ' 91110108551385082q ' }).uscc).toBe('91110108551385082Q');
  });

  it('PATCH /points: thresholds are checked for order by libs/rules; code and type stay', () => {
    expect(updatePointSchema.safeParse({ thresholds: { high: { yellow: 24, orange: 160 }, low: null } }).success).toBe(true);
    expect(updatePointSchema.safeParse({ thresholds: { high: { yellow: 160, orange: 24 } } }).success).toBe(false);
    expect(updatePointSchema.safeParse({ thresholds: { high: { orange: 10 }, low: { orange: 20 } } }).success).toBe(false);
    expect(updatePointSchema.safeParse({ type: 'o2' }).success).toBe(false);
    expect(updatePointSchema.safeParse({ expectedIntervalS: 0 }).success).toBe(false);
  });

  it('maintenance: 1 minute to one week, with a reason', () => {
    expect(maintenanceSchema.safeParse({ minutes: 60, reason: '更换传感器' }).success).toBe(true);
    expect(maintenanceSchema.safeParse({ minutes: 0, reason: 'x' }).success).toBe(false);
    expect(maintenanceSchema.safeParse({ minutes: 10_081, reason: 'x' }).success).toBe(false);
    expect(maintenanceSchema.safeParse({ minutes: 5, reason: ' ' }).success).toBe(false);
  });
});
