import type { DataSource, EntityManager } from 'typeorm';
import { Enterprise, type EnterpriseStatus } from '../entities/enterprise.entity';
import { EnterpriseStatusChange } from '../entities/enterprise-status-change.entity';
import { STATUS_ON } from '../registry/enterprises.repository';
import { scopeWhere, type RecordScope } from '../users/record-scope';
import type { LedgerRecord } from './ledger.schema';

export interface LedgerExisting {
  id: string;
  uscc: string;
  regionCode: string;
}

export interface LedgerImportCounts {
  created: number;
  updated: number;
  unchanged: number;
}

const FIELDS = ['name', 'regionCode', 'riskCategories', 'dustWorkers', 'employees', 'standardizationGrade'] as const;
const ROLES = [
  ['principal', 'principalName', 'principalPhone'],
  ['safety_officer', 'safetyOfficerName', 'safetyOfficerPhone'],
] as const;
const CHUNK = 500;

/** Bulk reads and writes of the enterprise ledger (import/export); one transaction per import. */
export class LedgerRepository {
  constructor(private readonly ds: DataSource) {}

  /** Every enterprise in `scope` under `regionPrefix`, with its status and the day it holds from, as of `today`. */
  async list(scope: RecordScope, regionPrefix: string | null, today: string): Promise<LedgerRecord[]> {
    const s = scopeWhere(scope, { enterpriseId: 'e.id', regionCode: 'e.region_code' });
    const qb = this.ds
      .getRepository(Enterprise)
      .createQueryBuilder('e')
      .addSelect(
        `to_char((SELECT s.effective_date FROM enterprise_status_changes s WHERE s.enterprise_id = e.id AND s.effective_date <= CAST(:today AS date)
           ORDER BY s.recorded_at DESC, s.effective_date DESC LIMIT 1), 'YYYY-MM-DD')`,
        'status_since',
      )
      .addSelect(STATUS_ON('e.id', ':today'), 'status_today')
      .where(s.sql, s.params)
      .setParameter('today', today)
      .orderBy('e.region_code')
      .addOrderBy('e.uscc');
    if (regionPrefix) qb.andWhere('e.region_code LIKE :prefix', { prefix: `${regionPrefix}%` });
    const { entities, raw } = await qb.getRawAndEntities<{ e_id: string; status_since: string | null; status_today: EnterpriseStatus | null }>();
    const since = new Map(raw.map((r) => [r.e_id, r]));
    const contacts = await this.contacts(entities.map((e) => e.id));
    return entities.map((e) => ({
      ...pick(e),
      uscc: e.uscc,
      status: since.get(e.id)?.status_today ?? e.status,
      statusSince: since.get(e.id)?.status_since ?? null,
      ...contactFields(contacts.get(e.id)),
    }));
  }

  /** The principal and safety officer rows of `enterprise_contacts` by enterprise. */
  private async contacts(ids: string[]): Promise<Map<string, Map<string, { name: string; phone: string | null }>>> {
    const out = new Map<string, Map<string, { name: string; phone: string | null }>>();
    if (ids.length === 0) return out;
    const rows: { enterprise_id: string; role: string; name: string; phone: string | null }[] = await this.ds.query(
      `SELECT enterprise_id, role, name, phone FROM enterprise_contacts WHERE enterprise_id = ANY($1::uuid[])`,
      [ids],
    );
    for (const r of rows) {
      const own = out.get(r.enterprise_id) ?? new Map<string, { name: string; phone: string | null }>();
      own.set(r.role, { name: r.name, phone: r.phone });
      out.set(r.enterprise_id, own);
    }
    return out;
  }

  async existing(usccs: string[]): Promise<Map<string, LedgerExisting>> {
    const rows: { id: string; uscc: string; region_code: string }[] =
      usccs.length === 0 ? [] : await this.ds.query(`SELECT id, uscc, region_code FROM enterprises WHERE uscc = ANY($1::text[])`, [usccs]);
    return new Map(rows.map((r) => [r.uscc, { id: r.id, uscc: r.uscc, regionCode: r.region_code }]));
  }

  /**
   * Creates the new enterprises and updates the known ones (by uscc) in one transaction; a status
   * or statusSince that differs from the one in force today adds a status change. `onProgress`
   * receives the number of records written so far.
   */
  async import(records: LedgerRecord[], today: string, onProgress: (done: number) => void = () => undefined): Promise<LedgerImportCounts> {
    const current = await this.list({ kind: 'all' }, null, today).then((all) => new Map(all.map((r) => [r.uscc, r])));
    return this.ds.transaction(async (em) => {
      const counts: LedgerImportCounts = { created: 0, updated: 0, unchanged: 0 };
      for (let i = 0; i < records.length; i += CHUNK) {
        const chunk = records.slice(i, i + CHUNK);
        await this.createAll(em, chunk.filter((r) => !current.has(r.uscc)), today);
        counts.created += chunk.filter((r) => !current.has(r.uscc)).length;
        for (const r of chunk) {
          const before = current.get(r.uscc);
          if (!before) continue;
          if (await this.updateOne(em, r, before, today)) counts.updated++;
          else counts.unchanged++;
        }
        onProgress(Math.min(i + CHUNK, records.length));
      }
      return counts;
    });
  }

  private async createAll(em: EntityManager, records: LedgerRecord[], today: string): Promise<void> {
    if (records.length === 0) return;
    const result = await em.insert(
      Enterprise,
      records.map((r) => ({ ...pick(r), uscc: r.uscc, status: r.status })),
    );
    const ids = result.identifiers.map((x) => (x as { id: string }).id);
    await writeContacts(em, records.map((r, k) => [ids[k] as string, r]));
    await em.insert(
      EnterpriseStatusChange,
      records.map((r, k) => ({ enterpriseId: ids[k] as string, status: r.status, effectiveDate: r.statusSince ?? today })),
    );
  }

  private async updateOne(em: EntityManager, r: LedgerRecord, before: LedgerRecord, today: string): Promise<boolean> {
    const fields = pick(r);
    const changed = FIELDS.filter((f) => JSON.stringify(fields[f]) !== JSON.stringify(before[f]));
    const contactsChanged = ROLES.some(([, name, phone]) => r[name] && (r[name] !== before[name] || (r[phone] ?? null) !== before[phone]));
    const statusChanged = r.status !== before.status || (r.statusSince != null && r.statusSince !== before.statusSince);
    if (changed.length === 0 && !statusChanged && !contactsChanged) return false;
    const id = ((await em.query(`SELECT id FROM enterprises WHERE uscc = $1`, [r.uscc])) as [{ id: string }])[0].id;
    if (contactsChanged) await writeContacts(em, [[id, r]]);
    if (statusChanged) await em.insert(EnterpriseStatusChange, { enterpriseId: id, status: r.status, effectiveDate: r.statusSince ?? today });
    const [now] = (await em.query(`SELECT ${STATUS_ON('$1', '$2')} AS status`, [id, today])) as [{ status: EnterpriseStatus | null }];
    await em.update(Enterprise, { id }, { ...fields, status: now.status ?? r.status });
    return true;
  }
}

/**
 * Upserts the principal and the safety officer the record names (name and phone; a WeCom robot or
 * WeChat openid set through the contacts API stays). A record without a name leaves the contact alone.
 */
async function writeContacts(em: EntityManager, records: [string, LedgerRecord][]): Promise<void> {
  const rows = records.flatMap(([id, r]) => ROLES.filter(([, name]) => r[name]).map(([role, name, phone]) => [id, role, r[name] as string, r[phone] ?? null] as const));
  if (rows.length === 0) return;
  await em.query(
    `INSERT INTO enterprise_contacts (enterprise_id, role, name, phone)
     SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[])
     ON CONFLICT (enterprise_id, role) DO UPDATE SET name = EXCLUDED.name, phone = EXCLUDED.phone, updated_at = now()`,
    [rows.map((x) => x[0]), rows.map((x) => x[1]), rows.map((x) => x[2]), rows.map((x) => x[3])],
  );
}

function contactFields(c: Map<string, { name: string; phone: string | null }> | undefined): Pick<LedgerRecord, 'principalName' | 'principalPhone' | 'safetyOfficerName' | 'safetyOfficerPhone'> {
  return {
    principalName: c?.get('principal')?.name ?? null,
    principalPhone: c?.get('principal')?.phone ?? null,
    safetyOfficerName: c?.get('safety_officer')?.name ?? null,
    safetyOfficerPhone: c?.get('safety_officer')?.phone ?? null,
  };
}

function pick(e: Pick<LedgerRecord, (typeof FIELDS)[number]>): Pick<Enterprise, (typeof FIELDS)[number]> {
  return {
    name: e.name,
    regionCode: e.regionCode,
    riskCategories: [...e.riskCategories],
    dustWorkers: e.dustWorkers ?? null,
    employees: e.employees ?? null,
    standardizationGrade: e.standardizationGrade ?? null,
  };
}
