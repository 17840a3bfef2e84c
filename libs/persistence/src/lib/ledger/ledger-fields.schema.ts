import { z } from 'zod';

/**
 * The fields of the basic-information ledger (基础信息台账) beyond identity and scope: what the
 * enterprise does that is dangerous, where it is, who runs it. Structured where a check or a filter
 * reads them; lists and flag sets are JSON validated here.
 */

/** 工贸 sectors (the eight of 应急厅〔2019〕17号 and 判定标准 第二条). */
export const INDUSTRIES = ['metallurgy', 'nonferrous', 'building_materials', 'machinery', 'light_industry', 'textile', 'tobacco', 'commerce'] as const;
export type Industry = (typeof INDUSTRIES)[number];

/** 规上 / 规下: above or below the statistics office's designated size. */
export const ENTERPRISE_SCALES = ['above_designated', 'below_designated'] as const;
export type EnterpriseScale = (typeof ENTERPRISE_SCALES)[number];

/** Coordinates are stored as given, with the datum they were given in (GCJ-02: Chinese web maps). */
export const COORD_SYSTEMS = ['gcj02', 'wgs84'] as const;
export type CoordSystem = (typeof COORD_SYSTEMS)[number];

export const CASTING_FURNACES = ['tilting', 'fixed'] as const;
export const CONFINED_SPACE_GASES = ['h2s', 'co'] as const;

/** 主要负责人, 实际控制人, 安全管理人员: the three people the plan asks enterprises to keep current. */
export const PERSONNEL_ROLES = ['principal', 'actual_controller', 'safety_officer'] as const;
export type PersonnelRole = (typeof PERSONNEL_ROLES)[number];

export const personName = z.string().trim().min(1).max(64);
/** the notifications' rule for a contact phone (SMS goes to it): mainland mobile, optional +86, or E.164 */
export const contactPhone = z
  .string()
  .trim()
  .regex(/^(\+86)?1[3-9]\d{9}$|^\+[1-9]\d{6,14}$/, 'must be a mainland mobile number (11 digits, optional +86) or an E.164 number');

/** An Asia/Shanghai calendar day, `YYYY-MM-DD`, that exists. */
export const calendarDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date YYYY-MM-DD')
  .refine((d) => !Number.isNaN(Date.parse(`${d}T00:00:00Z`)) && new Date(`${d}T00:00:00Z`).toISOString().startsWith(d), {
    message: 'must be a real calendar date',
  });

// list items end up in one spreadsheet cell joined by ';', project parts by '|'
const listItem = z
  .string()
  .trim()
  .min(1)
  .max(100)
  .refine((s) => !/[;；|]/.test(s), { message: 'must not contain ; or |' });
const list = z.array(listItem).max(50);

/**
 * The process and equipment flags the plan names. A flag's details (furnace type, ammonia charge,
 * gases) go only with the flag set.
 */
export const processFlagsSchema = z
  .object({
    /** 深井铸造 (aluminium deep-well casting) and its casting furnace: 倾动式 or 固定式 */
    deepWellCasting: z.boolean().default(false),
    castingFurnace: z.enum(CASTING_FURNACES).nullable().default(null),
    /** 钢丝绳(卷扬)铸造机: a casting machine lowered on a wire-rope winch */
    wireRopeCaster: z.boolean().default(false),
    /** 液氨制冷 and its charge, kg */
    ammoniaRefrigeration: z.boolean().default(false),
    ammoniaChargeKg: z.number().positive().max(1_000_000).nullable().default(null),
    /** 涉氯 */
    chlorine: z.boolean().default(false),
    /** 有限空间 and the gases it may hold (硫化氢, 一氧化碳) */
    confinedSpace: z.boolean().default(false),
    confinedSpaceGases: z.array(z.enum(CONFINED_SPACE_GASES)).default([]),
    /** 使用危险化学品 */
    hazardousChemicals: z.boolean().default(false),
    /** 酒类生产 */
    liquor: z.boolean().default(false),
    /** 烟草熏蒸 */
    tobaccoFumigation: z.boolean().default(false),
    /** 喷涂 */
    spraying: z.boolean().default(false),
    /** 筒仓 */
    silo: z.boolean().default(false),
  })
  .strict()
  .superRefine((f, ctx) => {
    const only = (set: boolean, has: boolean, path: string, flag: string) => {
      if (has && !set) ctx.addIssue({ code: 'custom', path: [path], message: `${path} goes only with ${flag}` });
    };
    only(f.deepWellCasting, f.castingFurnace !== null, 'castingFurnace', 'deepWellCasting');
    only(f.deepWellCasting, f.wireRopeCaster, 'wireRopeCaster', 'deepWellCasting');
    only(f.ammoniaRefrigeration, f.ammoniaChargeKg !== null, 'ammoniaChargeKg', 'ammoniaRefrigeration');
    only(f.confinedSpace, f.confinedSpaceGases.length > 0, 'confinedSpaceGases', 'confinedSpace');
    if (new Set(f.confinedSpaceGases).size !== f.confinedSpaceGases.length) ctx.addIssue({ code: 'custom', path: ['confinedSpaceGases'], message: 'has duplicates' });
  });
export type ProcessFlags = z.output<typeof processFlagsSchema>;
export const NO_PROCESS_FLAGS: ProcessFlags = processFlagsSchema.parse({});

/** 三同时: a recent project's safety facilities designed, their design reviewed, and accepted, with dates. */
export const projectSchema = z
  .object({
    name: listItem,
    designedOn: calendarDate.nullable().default(null),
    reviewedOn: calendarDate.nullable().default(null),
    acceptedOn: calendarDate.nullable().default(null),
  })
  .strict()
  .refine((p) => [p.designedOn, p.reviewedOn, p.acceptedOn].filter((d): d is string => d !== null).every((d, i, a) => i === 0 || (a[i - 1] as string) <= d), {
    message: 'designedOn ≤ reviewedOn ≤ acceptedOn',
  });
export type ThreeSimultaneityProject = z.output<typeof projectSchema>;

const projects = z.array(projectSchema).max(20);

/** The ledger fields of an enterprise (all optional); cross-field rules in `checkLedgerFields`. */
export const ledgerFieldsShape = {
  industry: z.enum(INDUSTRIES).nullish(),
  scale: z.enum(ENTERPRISE_SCALES).nullish(),
  address: z.string().trim().min(1).max(200).nullish(),
  // the country's extent; whether the point lies in its district is a data-quality check
  longitude: z.number().min(73).max(136).nullish(),
  latitude: z.number().min(3).max(54).nullish(),
  coordSystem: z.enum(COORD_SYSTEMS).nullish(),
  /** 行业管理部门: the industry department responsible (notified of confirmed major hazards) */
  industryDepartment: z.string().trim().min(1).max(100).nullish(),
  /** 主要生产工艺 and 关键设备: free lists */
  processes: list.default([]),
  keyEquipment: list.default([]),
  processFlags: processFlagsSchema.default(NO_PROCESS_FLAGS),
  /** 粉尘种类 (铝镁粉, 木粉, …): a free list */
  dustKinds: list.default([]),
  standardizationValidUntil: calendarDate.nullish(),
  /** the day the standardization grade was revoked (撤销) */
  standardizationRevokedOn: calendarDate.nullish(),
  threeSimultaneity: projects.default([]),
};

/** The list fields for a PATCH: absent means unchanged (a default would reset them); given means replaced. */
export const ledgerListsPatchShape = {
  processes: list.optional(),
  keyEquipment: list.optional(),
  processFlags: processFlagsSchema.optional(),
  dustKinds: list.optional(),
  threeSimultaneity: projects.optional(),
};

/** Personnel as flat name/phone pairs (the ledger row, REST create). */
export const personnelShape = {
  principalName: personName.nullish(),
  principalPhone: contactPhone.nullish(),
  actualControllerName: personName.nullish(),
  actualControllerPhone: contactPhone.nullish(),
  safetyOfficerName: personName.nullish(),
  safetyOfficerPhone: contactPhone.nullish(),
};
export const PERSONNEL_FIELDS: Record<PersonnelRole, readonly ['principalName' | 'actualControllerName' | 'safetyOfficerName', 'principalPhone' | 'actualControllerPhone' | 'safetyOfficerPhone']> = {
  principal: ['principalName', 'principalPhone'],
  actual_controller: ['actualControllerName', 'actualControllerPhone'],
  safety_officer: ['safetyOfficerName', 'safetyOfficerPhone'],
};

type Checked = {
  longitude?: number | null;
  latitude?: number | null;
  coordSystem?: string | null;
  standardizationGrade?: string | null;
  standardizationValidUntil?: string | null;
  standardizationRevokedOn?: string | null;
} & Partial<Record<'principalName' | 'principalPhone' | 'actualControllerName' | 'actualControllerPhone' | 'safetyOfficerName' | 'safetyOfficerPhone', string | null>>;

/**
 * Rules across fields: a coordinate pair with its datum; a phone with its name; dates with a grade.
 * `partial` (a PATCH): the grade and the name may already be stored, so only the pairs are checked.
 */
export function checkLedgerFields(r: Checked, ctx: z.RefinementCtx, partial = false): void {
  const issue = (path: string, message: string) => ctx.addIssue({ code: 'custom', path: [path], message });
  const coords = [r.longitude, r.latitude].filter((v) => v !== null && v !== undefined).length;
  if (coords === 1) issue(r.longitude == null ? 'longitude' : 'latitude', 'longitude and latitude go together');
  if (coords === 2 && !r.coordSystem) issue('coordSystem', 'coordinates need their coordinate system (gcj02 or wgs84)');
  if (coords === 0 && r.coordSystem) issue('coordSystem', 'coordSystem goes with longitude and latitude');
  if (partial) return;
  if ((r.standardizationValidUntil || r.standardizationRevokedOn) && !r.standardizationGrade) {
    issue('standardizationGrade', 'standardizationValidUntil and standardizationRevokedOn need standardizationGrade');
  }
  for (const [name, phone] of Object.values(PERSONNEL_FIELDS)) if (r[phone] && !r[name]) issue(name, `${phone} needs ${name}`);
}
