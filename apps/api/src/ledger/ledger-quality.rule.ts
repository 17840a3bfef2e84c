// The regulator's data-quality checks of the ledger (数据质量): pure functions over ledger records.
import { inConnectionScope } from '@sw/kpi';
import type { LedgerRecord, RegionBounds } from '@sw/persistence';

export const QUALITY_CHECKS = ['missing_fields', 'unknown_dust_workers', 'standardization_expired', 'banned_casting_equipment', 'coordinates_outside'] as const;
export type QualityCheck = (typeof QUALITY_CHECKS)[number];

export const QUALITY_TITLES: Record<QualityCheck, string> = {
  missing_fields: '必填信息缺失（接入范围内企业）',
  unknown_dust_workers: '涉粉作业人数不明',
  standardization_expired: '安全生产标准化已过期或被撤销',
  banned_casting_equipment: '深井铸造设备需核查（判定标准 第五条）',
  coordinates_outside: '坐标不在所属辖区内',
};

/** A ledger record with its id; `status` is the one in force on the day checked. */
export type CheckedRecord = LedgerRecord & { id: string };

export interface QualityItem {
  enterpriseId: string;
  name: string;
  uscc: string;
  regionCode: string;
  detail: string;
}

export interface QualityList {
  check: QualityCheck;
  title: string;
  count: number;
  items: QualityItem[];
}

/** What an in-scope enterprise's ledger must hold: the plan's basic information and its people. */
export const MANDATORY_FIELDS: readonly { key: keyof LedgerRecord; label: string }[] = [
  { key: 'industry', label: '所属行业' },
  { key: 'scale', label: '企业规模' },
  { key: 'address', label: '详细地址' },
  { key: 'longitude', label: '经纬度' },
  { key: 'employees', label: '从业人数' },
  { key: 'industryDepartment', label: '行业管理部门' },
  { key: 'principalName', label: '主要负责人' },
  { key: 'principalPhone', label: '主要负责人电话' },
  { key: 'actualControllerName', label: '实际控制人' },
  { key: 'safetyOfficerName', label: '安全管理人员' },
  { key: 'safetyOfficerPhone', label: '安全管理人员电话' },
];

const DUST = ['metal_dust', 'wood_dust', 'other_dust'];

function missingFields(r: CheckedRecord, asOf: string): string | null {
  if (!inConnectionScope({ ...r, dustWorkers: r.dustWorkers ?? null }, asOf)) return null;
  const missing = MANDATORY_FIELDS.filter((f) => r[f.key] === null || r[f.key] === undefined).map((f) => f.label);
  if (r.riskCategories.some((c) => DUST.includes(c)) && r.dustKinds.length === 0) missing.push('粉尘种类');
  return missing.length > 0 ? `缺少：${missing.join('、')}` : null;
}

// docs/domain.md: an unknown dust-worker count is a data gap, never silently 0 — it decides the scope.
function unknownDustWorkers(r: CheckedRecord): string | null {
  return r.riskCategories.some((c) => DUST.includes(c)) && (r.dustWorkers === null || r.dustWorkers === undefined) ? '涉粉企业未填涉粉作业人数，无法判定是否纳入接入范围' : null;
}

function standardizationExpired(r: CheckedRecord, asOf: string): string | null {
  if (!r.standardizationGrade) return null;
  if (r.standardizationRevokedOn && r.standardizationRevokedOn <= asOf) return `标准化等级已于 ${r.standardizationRevokedOn} 撤销`;
  if (r.standardizationValidUntil && r.standardizationValidUntil < asOf) return `标准化有效期至 ${r.standardizationValidUntil}，已过期`;
  return null;
}

/**
 * 《工贸企业重大事故隐患判定标准》(应急管理部令第10号) 第五条 (有色), its 铝加工深井铸造 items: a
 * fixed casting furnace needs a mechanical lock on the aluminium outlet and, on the launder, an
 * emergency discharge valve and a quick shut-off interlocked with the level alarm; the casting
 * machine's winch must use a steel-core wire rope, inspected and replaced on schedule. The ledger
 * records the equipment, not those safeguards, so these enterprises are listed for an inspector to
 * verify the items on site.
 */
function bannedCastingEquipment(r: CheckedRecord): string | null {
  const f = r.processFlags;
  if (!f.deepWellCasting && !r.riskCategories.includes('aluminum_casting')) return null;
  const found: string[] = [];
  if (f.castingFurnace === 'fixed') found.push('固定式浇铸炉：核查铝液出口机械锁紧装置、流槽紧急排放阀及快速切断阀联锁');
  if (f.wireRopeCaster) found.push('钢丝绳卷扬铸造机：核查是否选用钢芯钢丝绳并落实定期检查、更换制度');
  return found.length > 0 ? found.join('；') : null;
}

/** The box of the longest region prefix that covers the code, or null (then the point is not checked). */
export function boundsOf(regionCode: string, bounds: readonly RegionBounds[]): RegionBounds | null {
  return bounds.filter((b) => regionCode.startsWith(b.regionCode)).sort((a, b) => b.regionCode.length - a.regionCode.length)[0] ?? null;
}

function coordinatesOutside(r: CheckedRecord, bounds: readonly RegionBounds[]): string | null {
  if (r.longitude == null || r.latitude == null) return null;
  const b = boundsOf(r.regionCode, bounds);
  if (!b) return null;
  const inside = r.longitude >= b.minLongitude && r.longitude <= b.maxLongitude && r.latitude >= b.minLatitude && r.latitude <= b.maxLatitude;
  return inside ? null : `坐标 ${r.longitude}, ${r.latitude}（${r.coordSystem === 'wgs84' ? 'WGS-84' : 'GCJ-02'}）不在 ${b.regionCode} 范围内`;
}

/**
 * Every check over the records, as lists with counts. Closed enterprises (关停 on `asOf`) are left
 * out; the missing-fields check covers the enterprises in the connection scope on `asOf`.
 */
export function checkLedger(records: readonly CheckedRecord[], asOf: string, bounds: readonly RegionBounds[]): QualityList[] {
  const open = records.filter((r) => r.status !== 'closed');
  const run: Record<QualityCheck, (r: CheckedRecord) => string | null> = {
    missing_fields: (r) => missingFields(r, asOf),
    unknown_dust_workers: unknownDustWorkers,
    standardization_expired: (r) => standardizationExpired(r, asOf),
    banned_casting_equipment: bannedCastingEquipment,
    coordinates_outside: (r) => coordinatesOutside(r, bounds),
  };
  return QUALITY_CHECKS.map((check) => {
    const items = open.flatMap((r) => {
      const detail = run[check](r);
      return detail === null ? [] : [{ enterpriseId: r.id, name: r.name, uscc: r.uscc, regionCode: r.regionCode, detail }];
    });
    return { check, title: QUALITY_TITLES[check], count: items.length, items };
  });
}
