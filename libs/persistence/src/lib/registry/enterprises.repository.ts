import { mandatoryCoverage, type MandatoryCoverage, type PointType } from '@sw/sensors';
import type { DataSource, EntityManager } from 'typeorm';
import { Enterprise, type EnterpriseStatus, type RiskCategory } from '../entities/enterprise.entity';
import { EnterpriseStatusChange } from '../entities/enterprise-status-change.entity';
import { PERSONNEL_FIELDS, PERSONNEL_ROLES } from '../ledger/ledger-fields.schema';
import { currentPersonnel, writePersonnel } from '../ledger/personnel.repository';
import { scopeWhere, type RecordScope } from '../users/record-scope';
import { offsetOf, type PageRequest, type Paged } from './paging.types';
import { parseInput } from './parse-input';
import { RegistryError } from './registry.errors';
import { updateEnterpriseSchema, type UpdateEnterpriseInput } from './registry-update.schema';
import { shanghaiToday } from './registry.service';

export interface EnterpriseFilter {
  /** region prefix (already normalized) */
  regionPrefix?: string;
  status?: EnterpriseStatus;
  category?: RiskCategory;
  /** part of the name, or the start of the uscc */
  q?: string;
}

const SCOPE_COLS = { enterpriseId: 'e.id', regionCode: 'e.region_code' };

/**
 * SQL for an enterprise's status in force on a day, from its history: among the changes effective
 * on or before the day, the one recorded last ("from this date on, the status is …": a closure
 * recorded later with an earlier date overrides the registration row); for a day before every
 * change, the status recorded at registration. `enterprise` and `day` are SQL expressions.
 */
export const STATUS_ON = (enterprise: string, day: string): string => `COALESCE(
  (SELECT s.status FROM enterprise_status_changes s WHERE s.enterprise_id = ${enterprise} AND s.effective_date <= CAST(${day} AS date)
    ORDER BY s.recorded_at DESC, s.effective_date DESC LIMIT 1),
  (SELECT s.status FROM enterprise_status_changes s WHERE s.enterprise_id = ${enterprise} ORDER BY s.recorded_at, s.effective_date LIMIT 1))`;

/** Scoped reads and updates of enterprises; creation stays in `RegistryService`. */
export class EnterprisesRepository {
  constructor(private readonly ds: DataSource) {}

  async list(scope: RecordScope, filter: EnterpriseFilter, page: PageRequest): Promise<Paged<Enterprise>> {
    const s = scopeWhere(scope, SCOPE_COLS);
    const qb = this.ds.getRepository(Enterprise).createQueryBuilder('e').where(s.sql, s.params);
    if (filter.regionPrefix) qb.andWhere('e.region_code LIKE :prefix', { prefix: `${filter.regionPrefix}%` });
    if (filter.status) qb.andWhere('e.status = :status', { status: filter.status });
    if (filter.category) qb.andWhere(':category = ANY(e.risk_categories)', { category: filter.category });
    if (filter.q) {
      qb.andWhere(`(e.name ILIKE :q OR e.uscc LIKE :uscc)`, { q: `%${escapeLike(filter.q)}%`, uscc: `${escapeLike(filter.q.toUpperCase())}%` });
    }
    const [items, total] = await qb.orderBy('e.name').addOrderBy('e.id').skip(offsetOf(page)).take(page.pageSize).getManyAndCount();
    return { items, total, ...page };
  }

  /**
   * "必选 connected/required 已接入" per enterprise: its categories' mandatory set (libs/sensors)
   * against its mandatory points, a point connected once it has delivered a reading.
   */
  async mandatoryConnected(enterprises: readonly Pick<Enterprise, 'id' | 'riskCategories'>[]): Promise<Map<string, MandatoryCoverage>> {
    const out = new Map<string, MandatoryCoverage>();
    if (enterprises.length === 0) return out;
    const rows: { enterprise_id: string; type: PointType; reported: boolean }[] = await this.ds.query(
      `SELECT g.enterprise_id, p.type, p.last_seen_at IS NOT NULL AS reported
         FROM points p JOIN gateways g ON g.id = p.gateway_id
        WHERE p.mandatory AND g.enterprise_id = ANY($1::uuid[])`,
      [enterprises.map((e) => e.id)],
    );
    const byEnterprise = new Map<string, { type: PointType; mandatory: boolean; reported: boolean }[]>();
    for (const r of rows) byEnterprise.set(r.enterprise_id, [...(byEnterprise.get(r.enterprise_id) ?? []), { type: r.type, mandatory: true, reported: r.reported }]);
    for (const e of enterprises) out.set(e.id, mandatoryCoverage(e.riskCategories, byEnterprise.get(e.id) ?? []));
    return out;
  }

  /** The enterprise, or null when it does not exist or is out of scope (both answer 404). */
  get(id: string, scope: RecordScope): Promise<Enterprise | null> {
    const s = scopeWhere(scope, SCOPE_COLS);
    return this.ds.getRepository(Enterprise).createQueryBuilder('e').where('e.id = :id', { id }).andWhere(s.sql, s.params).getOne();
  }

  statusHistory(id: string): Promise<EnterpriseStatusChange[]> {
    return this.ds.getRepository(EnterpriseStatusChange).find({ where: { enterpriseId: id }, order: { effectiveDate: 'ASC', recordedAt: 'ASC' } });
  }

  /**
   * Applies a PATCH. A `status` is recorded as of `effectiveDate` (not after today) with its reason
   * in the history, and the current status becomes the one in force today (`STATUS_ON`). A changed
   * person goes to the personnel history as of today, `by` (the user) as who changed it.
   */
  async update(id: string, input: UpdateEnterpriseInput, today = shanghaiToday(), by: string | null = null): Promise<Enterprise> {
    const { status, effectiveDate, statusReason, principalName, principalPhone, actualControllerName, actualControllerPhone, safetyOfficerName, safetyOfficerPhone, ...fields } =
      parseInput(updateEnterpriseSchema, input, 'enterprise');
    const people = { principalName, principalPhone, actualControllerName, actualControllerPhone, safetyOfficerName, safetyOfficerPhone };
    if (effectiveDate && effectiveDate > today) {
      throw new RegistryError('invalid', `effectiveDate ${effectiveDate} is in the future (today is ${today})`, ['effectiveDate: must not be after today']);
    }
    return this.ds.transaction(async (em) => {
      const current = await em.findOne(Enterprise, { where: { id }, lock: { mode: 'pessimistic_write' } });
      if (!current) throw new RegistryError('not_found', `enterprise ${id} not found`);
      if (fields.uscc && fields.uscc !== current.uscc && (await em.existsBy(Enterprise, { uscc: fields.uscc }))) {
        throw new RegistryError('conflict', `an enterprise with uscc ${fields.uscc} already exists`);
      }
      const changes: Partial<Enterprise> = definedOnly(fields);
      await writePersonnel(em, id, await withStoredNames(em, id, people), today, { source: 'regulator', changedBy: by });
      if (status) {
        await em.insert(EnterpriseStatusChange, { enterpriseId: id, status, effectiveDate: effectiveDate ?? today, reason: statusReason ?? null });
        const [current] = (await em.query(`SELECT ${STATUS_ON('$1', '$2')} AS status`, [id, today])) as [{ status: EnterpriseStatus | null }];
        changes.status = current.status ?? status;
      }
      if (Object.keys(changes).length > 0) await em.update(Enterprise, { id }, changes);
      return em.findOneOrFail(Enterprise, { where: { id } });
    });
  }
}

/** A phone sent alone changes the stored holder's phone: the name is taken from the contacts. */
async function withStoredNames(em: EntityManager, id: string, people: Partial<Record<string, string | null | undefined>>) {
  const out = { ...people };
  const needs = PERSONNEL_ROLES.filter((role) => {
    const [name, phone] = PERSONNEL_FIELDS[role];
    return out[phone] !== undefined && !out[name];
  });
  if (needs.length === 0) return out;
  const current = await currentPersonnel(em, id);
  for (const role of needs) {
    const [name, phone] = PERSONNEL_FIELDS[role];
    const holder = current.get(role);
    if (!holder) throw new RegistryError('invalid', `${phone} needs ${name}: no one holds the role yet`, [`${name}: required with ${phone}`]);
    out[name] = holder.name;
  }
  return out;
}

function definedOnly<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

function escapeLike(s: string): string {
  return s.replace(/[\\%_]/g, (c) => `\\${c}`);
}
