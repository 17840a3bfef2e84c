import type { DataSource, EntityManager } from 'typeorm';
import { Enterprise, type EnterpriseStatus } from '../entities/enterprise.entity';
import { EnterpriseStatusChange } from '../entities/enterprise-status-change.entity';
import { STATUS_ON } from '../registry/enterprises.repository';
import { scopeWhere, type RecordScope } from '../users/record-scope';
import { NO_PROCESS_FLAGS, PERSONNEL_FIELDS, PERSONNEL_ROLES } from './ledger-fields.schema';
import type { LedgerRecord } from './ledger.schema';
import { insertNewPersonnel, personnelFields, writePersonnel, type Person, type PersonnelActor } from './personnel.repository';

export interface LedgerExisting {
  id: string;
  uscc: string;
  regionCode: string;
}

/** A region prefix's bounding box, degrees (the coordinates check of the data-quality view). */
export interface RegionBounds {
  regionCode: string;
  minLongitude: number;
  maxLongitude: number;
  minLatitude: number;
  maxLatitude: number;
}

export interface LedgerImportCounts {
  created: number;
  updated: number;
  unchanged: number;
}

const FIELDS = [
  'name',
  'regionCode',
  'riskCategories',
  'dustWorkers',
  'employees',
  'standardizationGrade',
  'industry',
  'scale',
  'address',
  'longitude',
  'latitude',
  'coordSystem',
  'industryDepartment',
  'processes',
  'keyEquipment',
  'processFlags',
  'dustKinds',
  'standardizationValidUntil',
  'standardizationRevokedOn',
  'threeSimultaneity',
] as const;
const CHUNK = 500;

/** Bulk reads and writes of the enterprise ledger (import/export); one transaction per import. */
export class LedgerRepository {
  constructor(private readonly ds: DataSource) {}

  /** Every enterprise in `scope` under `regionPrefix`, with its status and the day it holds from, as of `today`. */
  async list(scope: RecordScope, regionPrefix: string | null, today: string): Promise<(LedgerRecord & { id: string })[]> {
    const s = scopeWhere(scope, { enterpriseId: 'e.id', regionCode: 'e.region_code' });
    const qb = this.ds
      .getRepository(Enterprise)
      .createQueryBuilder('e')
      .addSelect(
        `to_char((SELECT s.effective_date FROM enterprise_status_changes s WHERE s.enterprise_id = e.id AND s.effective_date <= CAST(:today AS date)
           ORDER BY s.recorded_at DESC, s.effective_date DESC LIMIT 1), 'YYYY-MM-DD')`,
        'status_since',
      )
      .addSelect(
        `(SELECT s.reason FROM enterprise_status_changes s WHERE s.enterprise_id = e.id AND s.effective_date <= CAST(:today AS date)
           ORDER BY s.recorded_at DESC, s.effective_date DESC LIMIT 1)`,
        'status_reason',
      )
      .addSelect(STATUS_ON('e.id', ':today'), 'status_today')
      .where(s.sql, s.params)
      .setParameter('today', today)
      .orderBy('e.region_code')
      .addOrderBy('e.uscc');
    if (regionPrefix) qb.andWhere('e.region_code LIKE :prefix', { prefix: `${regionPrefix}%` });
    const { entities, raw } = await qb.getRawAndEntities<{ e_id: string; status_since: string | null; status_reason: string | null; status_today: EnterpriseStatus | null }>();
    const since = new Map(raw.map((r) => [r.e_id, r]));
    const contacts = await this.contacts(entities.map((e) => e.id));
    return entities.map((e) => ({
      id: e.id,
      ...pick(e),
      uscc: e.uscc,
      status: since.get(e.id)?.status_today ?? e.status,
      statusSince: since.get(e.id)?.status_since ?? null,
      statusReason: since.get(e.id)?.status_reason ?? null,
      ...personnelFields(contacts.get(e.id)),
    }));
  }

  /** The rows of `enterprise_contacts` (the three people) by enterprise. */
  private async contacts(ids: string[]): Promise<Map<string, Map<string, Person>>> {
    const out = new Map<string, Map<string, Person>>();
    if (ids.length === 0) return out;
    const rows: { enterprise_id: string; role: string; name: string; phone: string | null }[] = await this.ds.query(
      `SELECT enterprise_id, role, name, phone FROM enterprise_contacts WHERE enterprise_id = ANY($1::uuid[])`,
      [ids],
    );
    for (const r of rows) {
      const own = out.get(r.enterprise_id) ?? new Map<string, Person>();
      own.set(r.role, { name: r.name, phone: r.phone });
      out.set(r.enterprise_id, own);
    }
    return out;
  }

  /** The bounding boxes of the coordinates check, by region prefix. */
  async regionBounds(): Promise<RegionBounds[]> {
    return this.ds.query(
      `SELECT region_code AS "regionCode", min_longitude AS "minLongitude", max_longitude AS "maxLongitude", min_latitude AS "minLatitude", max_latitude AS "maxLatitude"
         FROM region_bounds ORDER BY region_code`,
    );
  }

  async existing(usccs: string[]): Promise<Map<string, LedgerExisting>> {
    const rows: { id: string; uscc: string; region_code: string }[] =
      usccs.length === 0 ? [] : await this.ds.query(`SELECT id, uscc, region_code FROM enterprises WHERE uscc = ANY($1::text[])`, [usccs]);
    return new Map(rows.map((r) => [r.uscc, { id: r.id, uscc: r.uscc, regionCode: r.region_code }]));
  }

  /**
   * Creates the new enterprises and updates the known ones (by uscc) in one transaction; a status
   * or statusSince (or statusReason) that differs from the one in force today adds a status change;
   * a changed person goes to the personnel history, `by` (the importing user) as who changed it. `onProgress`
   * receives the number of records written so far.
   */
  async import(records: LedgerRecord[], today: string, onProgress: (done: number) => void = () => undefined, by: string | null = null): Promise<LedgerImportCounts> {
    const actor: PersonnelActor = { source: 'ledger_import', changedBy: by };
    const current = await this.list({ kind: 'all' }, null, today).then((all) => new Map(all.map((r) => [r.uscc, r])));
    return this.ds.transaction(async (em) => {
      const counts: LedgerImportCounts = { created: 0, updated: 0, unchanged: 0 };
      for (let i = 0; i < records.length; i += CHUNK) {
        const chunk = records.slice(i, i + CHUNK);
        await this.createAll(em, chunk.filter((r) => !current.has(r.uscc)), today, actor);
        counts.created += chunk.filter((r) => !current.has(r.uscc)).length;
        for (const r of chunk) {
          const before = current.get(r.uscc);
          if (!before) continue;
          if (await this.updateOne(em, r, before, today, actor)) counts.updated++;
          else counts.unchanged++;
        }
        onProgress(Math.min(i + CHUNK, records.length));
      }
      return counts;
    });
  }

  private async createAll(em: EntityManager, records: LedgerRecord[], today: string, actor: PersonnelActor): Promise<void> {
    if (records.length === 0) return;
    const result = await em.insert(
      Enterprise,
      records.map((r) => ({ ...pick(r), uscc: r.uscc, status: r.status })),
    );
    const ids = result.identifiers.map((x) => (x as { id: string }).id);
    await insertNewPersonnel(em, records.map((r, k) => [ids[k] as string, r]), today, actor);
    await em.insert(
      EnterpriseStatusChange,
      records.map((r, k) => ({ enterpriseId: ids[k] as string, status: r.status, effectiveDate: r.statusSince ?? today, reason: r.statusReason ?? null })),
    );
  }

  private async updateOne(em: EntityManager, r: LedgerRecord, before: LedgerRecord, today: string, actor: PersonnelActor): Promise<boolean> {
    const fields = pick(r);
    const changed = FIELDS.filter((f) => canonical(fields[f]) !== canonical(before[f]));
    const statusChanged =
      r.status !== before.status || (r.statusSince != null && r.statusSince !== before.statusSince) || (r.statusReason != null && r.statusReason !== before.statusReason);
    // a person named in the row that differs from the stored one (a row without a name leaves the role alone)
    const personnelChanged = PERSONNEL_ROLES.some((role) => {
      const [name, phone] = PERSONNEL_FIELDS[role];
      return r[name] && (r[name] !== before[name] || (r[phone] ?? null) !== before[phone]);
    });
    if (changed.length === 0 && !statusChanged && !personnelChanged) return false;
    const id = ((await em.query(`SELECT id FROM enterprises WHERE uscc = $1`, [r.uscc])) as [{ id: string }])[0].id;
    if (personnelChanged) await writePersonnel(em, id, r, today, actor);
    if (statusChanged) await em.insert(EnterpriseStatusChange, { enterpriseId: id, status: r.status, effectiveDate: r.statusSince ?? today, reason: r.statusReason ?? null });
    const [now] = (await em.query(`SELECT ${STATUS_ON('$1', '$2')} AS status`, [id, today])) as [{ status: EnterpriseStatus | null }];
    await em.update(Enterprise, { id }, { ...fields, status: now.status ?? r.status });
    return true;
  }
}

function pick(e: Pick<LedgerRecord, (typeof FIELDS)[number]>): Pick<Enterprise, (typeof FIELDS)[number]> {
  return {
    name: e.name,
    regionCode: e.regionCode,
    riskCategories: [...e.riskCategories],
    dustWorkers: e.dustWorkers ?? null,
    employees: e.employees ?? null,
    standardizationGrade: e.standardizationGrade ?? null,
    industry: e.industry ?? null,
    scale: e.scale ?? null,
    address: e.address ?? null,
    longitude: e.longitude ?? null,
    latitude: e.latitude ?? null,
    coordSystem: e.coordSystem ?? null,
    industryDepartment: e.industryDepartment ?? null,
    processes: [...e.processes],
    keyEquipment: [...e.keyEquipment],
    processFlags: e.processFlags ?? NO_PROCESS_FLAGS,
    dustKinds: [...e.dustKinds],
    standardizationValidUntil: e.standardizationValidUntil ?? null,
    standardizationRevokedOn: e.standardizationRevokedOn ?? null,
    threeSimultaneity: e.threeSimultaneity.map((p) => ({ ...p })),
  };
}

/** JSON with object keys sorted (jsonb does not keep the order they were written in). */
function canonical(v: unknown): string {
  return JSON.stringify(v, (_k, x: unknown) =>
    x && typeof x === 'object' && !Array.isArray(x) ? Object.fromEntries(Object.entries(x as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b))) : x,
  );
}
