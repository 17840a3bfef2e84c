// The one layout of the ledger files (台账): a column per field, in this order, headed by its Chinese
// label. Enumerations are written as the trade's words and read back from the word or the code name;
// lists are joined by ';', a 三同时 project is `名称|设计日期|审查日期|验收日期`; flags are 是/否.
import type { LedgerRecord } from '@sw/persistence';

type Kind = 'text' | 'int' | 'number' | 'enum' | 'enumList' | 'list' | 'bool' | 'projects';

export interface LedgerColumnSpec {
  /** field of the ledger record; `processFlags.x` for a flag */
  key: string;
  header: string;
  kind: Kind;
  labels?: Readonly<Record<string, string>>;
  width?: number;
}

export const RISK_CATEGORY_LABELS = {
  steel: '冶金（钢铁）',
  aluminum_casting: '铝加工（深井铸造）',
  metal_dust: '金属粉尘',
  wood_dust: '木质粉尘',
  other_dust: '其他粉尘',
  ammonia_refrigeration: '涉氨制冷',
  confined_space: '有限空间',
} as const;
export const INDUSTRY_LABELS = {
  metallurgy: '冶金',
  nonferrous: '有色',
  building_materials: '建材',
  machinery: '机械',
  light_industry: '轻工',
  textile: '纺织',
  tobacco: '烟草',
  commerce: '商贸',
} as const;
export const SCALE_LABELS = { above_designated: '规上', below_designated: '规下' } as const;
export const STATUS_LABELS = { opened: '开业', operating: '在产', suspended: '停产', out_of_business: '停业', closed: '关停' } as const;
export const GRADE_LABELS = { level_1: '一级', level_2: '二级', level_3: '三级', small_micro: '小微' } as const;
export const COORD_LABELS = { gcj02: 'GCJ-02', wgs84: 'WGS-84' } as const;
export const FURNACE_LABELS = { tilting: '倾动式', fixed: '固定式' } as const;
export const GAS_LABELS = { h2s: '硫化氢', co: '一氧化碳' } as const;

const col = (key: string, header: string, kind: Kind = 'text', extra: Partial<LedgerColumnSpec> = {}): LedgerColumnSpec => ({ key, header, kind, ...extra });

export const LEDGER_LAYOUT: readonly LedgerColumnSpec[] = [
  col('name', '企业名称', 'text', { width: 32 }),
  col('uscc', '统一社会信用代码', 'text', { width: 22 }),
  col('regionCode', '行政区划代码'),
  col('riskCategories', '风险类别', 'enumList', { labels: RISK_CATEGORY_LABELS, width: 24 }),
  col('industry', '所属行业', 'enum', { labels: INDUSTRY_LABELS }),
  col('scale', '企业规模', 'enum', { labels: SCALE_LABELS }),
  col('status', '经营状态', 'enum', { labels: STATUS_LABELS }),
  col('statusSince', '状态生效日期'),
  col('statusReason', '状态变更原因'),
  col('industryDepartment', '行业管理部门'),
  col('address', '详细地址', 'text', { width: 36 }),
  col('longitude', '经度', 'number'),
  col('latitude', '纬度', 'number'),
  col('coordSystem', '坐标系', 'enum', { labels: COORD_LABELS }),
  col('employees', '从业人数', 'int'),
  col('principalName', '主要负责人'),
  col('principalPhone', '主要负责人电话'),
  col('actualControllerName', '实际控制人'),
  col('actualControllerPhone', '实际控制人电话'),
  col('safetyOfficerName', '安全管理人员'),
  col('safetyOfficerPhone', '安全管理人员电话'),
  col('processes', '主要生产工艺', 'list', { width: 30 }),
  col('keyEquipment', '关键设备', 'list', { width: 30 }),
  col('processFlags.deepWellCasting', '深井铸造', 'bool'),
  col('processFlags.castingFurnace', '浇铸炉型式', 'enum', { labels: FURNACE_LABELS }),
  col('processFlags.wireRopeCaster', '钢丝绳铸造机', 'bool'),
  col('processFlags.ammoniaRefrigeration', '液氨制冷', 'bool'),
  col('processFlags.ammoniaChargeKg', '液氨存量（kg）', 'number'),
  col('processFlags.chlorine', '涉氯', 'bool'),
  col('processFlags.confinedSpace', '有限空间作业', 'bool'),
  col('processFlags.confinedSpaceGases', '有限空间有毒气体', 'enumList', { labels: GAS_LABELS }),
  col('processFlags.hazardousChemicals', '使用危险化学品', 'bool'),
  col('processFlags.liquor', '酒类生产', 'bool'),
  col('processFlags.tobaccoFumigation', '烟草熏蒸', 'bool'),
  col('processFlags.spraying', '喷涂作业', 'bool'),
  col('processFlags.silo', '筒仓', 'bool'),
  col('dustKinds', '粉尘种类', 'list'),
  col('dustWorkers', '涉粉作业人数', 'int'),
  col('standardizationGrade', '标准化等级', 'enum', { labels: GRADE_LABELS }),
  col('standardizationValidUntil', '标准化有效期至'),
  col('standardizationRevokedOn', '标准化撤销日期'),
  col('threeSimultaneity', '三同时项目（名称|设计|审查|验收）', 'projects', { width: 40 }),
];

/** The columns a file must have. */
export const REQUIRED_COLUMNS = ['name', 'uscc', 'regionCode', 'riskCategories'] as const;

/** A column by its Chinese header or its key (case-insensitive). */
export const COLUMN_BY_HEADER: ReadonlyMap<string, LedgerColumnSpec> = new Map(
  LEDGER_LAYOUT.flatMap((c) => [[c.header, c] as const, [c.key.toLowerCase(), c] as const]),
);
export const COLUMN_BY_KEY: ReadonlyMap<string, LedgerColumnSpec> = new Map(LEDGER_LAYOUT.map((c) => [c.key, c]));

const SPLIT_ENUMS = /[;；,，|\s]+/;
const SPLIT_LIST = /[;；]/;
const YES = new Set(['是', 'y', 'yes', 'true', '1']);
const NO = new Set(['否', 'n', 'no', 'false', '0']);

function valueAt(r: LedgerRecord, key: string): unknown {
  return key.split('.').reduce<unknown>((v, k) => (v && typeof v === 'object' ? (v as Record<string, unknown>)[k] : undefined), r);
}

/** One cell's text for a record. */
export function writeCell(c: LedgerColumnSpec, r: LedgerRecord): string {
  const v = valueAt(r, c.key);
  if (v === null || v === undefined) return '';
  const label = (x: unknown) => c.labels?.[String(x)] ?? String(x);
  switch (c.kind) {
    case 'enum':
      return label(v);
    case 'enumList':
      return (v as unknown[]).map(label).join(';');
    case 'list':
      return (v as string[]).join(';');
    case 'bool':
      return v ? '是' : '否';
    case 'projects':
      return (v as LedgerRecord['threeSimultaneity']).map((p) => [p.name, p.designedOn ?? '', p.reviewedOn ?? '', p.acceptedOn ?? ''].join('|')).join(';');
    case 'text':
    case 'int':
    case 'number':
      return String(v);
  }
}

/** One cell's text → the value the ledger schema validates (left as text where it cannot be read, so the schema names the problem). */
export function readCell(c: LedgerColumnSpec, text: string | undefined): unknown {
  const t = text?.trim() ?? '';
  const code = (x: string) => Object.entries(c.labels ?? {}).find(([, l]) => l === x)?.[0] ?? x;
  switch (c.kind) {
    case 'text':
      return t === '' ? null : t;
    case 'int':
      return t === '' ? null : /^-?\d+$/.test(t) ? Number(t) : t;
    case 'number':
      return t === '' ? null : /^-?\d+(\.\d+)?$/.test(t) ? Number(t) : t;
    case 'enum':
      return t === '' ? null : code(t);
    case 'enumList':
      return t.split(SPLIT_ENUMS).filter(Boolean).map(code);
    case 'list':
      return t.split(SPLIT_LIST).map((x) => x.trim()).filter(Boolean);
    case 'bool':
      return t === '' || NO.has(t.toLowerCase()) ? false : YES.has(t.toLowerCase()) ? true : t;
    case 'projects':
      return t
        .split(SPLIT_LIST)
        .map((x) => x.trim())
        .filter(Boolean)
        .map((p) => {
          const [name, designedOn, reviewedOn, acceptedOn, ...rest] = p.split('|').map((x) => x.trim());
          return { name, designedOn: designedOn || null, reviewedOn: reviewedOn || null, acceptedOn: acceptedOn || null, ...(rest.length > 0 && { extra: rest.join('|') }) };
        });
  }
}
