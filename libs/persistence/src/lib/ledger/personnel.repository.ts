import type { DataSource, EntityManager } from 'typeorm';
import { RegistryError } from '../registry/registry.errors';
import { PERSONNEL_FIELDS, PERSONNEL_ROLES, type PersonnelRole } from './ledger-fields.schema';

export interface Person {
  name: string;
  phone: string | null;
}

/** `contacts`: changed through the notification contacts (PUT /enterprises/{id}/contacts). */
export type PersonnelSource = 'registry' | 'ledger_import' | 'regulator' | 'enterprise_request' | 'contacts';

/** Who made a change: the user, and the regulator who accepted an enterprise's request. */
export interface PersonnelActor {
  source: PersonnelSource;
  changedBy: string | null;
  acceptedBy?: string | null;
  requestId?: string | null;
}

export interface PersonnelHistoryEntry {
  role: PersonnelRole;
  name: string;
  phone: string | null;
  previousName: string | null;
  previousPhone: string | null;
  effectiveDate: string;
  source: PersonnelSource;
  changedBy: string | null;
  acceptedBy: string | null;
  recordedAt: string;
}

export interface PersonnelRequest {
  id: string;
  enterpriseId: string;
  role: PersonnelRole;
  name: string;
  phone: string | null;
  effectiveDate: string;
  note: string | null;
  state: 'pending' | 'accepted' | 'rejected';
  submittedBy: string;
  submittedAt: string;
  decidedBy: string | null;
  decidedAt: string | null;
  decisionReason: string | null;
}

type PersonnelFields = Partial<Record<(typeof PERSONNEL_FIELDS)[PersonnelRole][number], string | null | undefined>>;

/**
 * Sets each role the record names (a name; a phone without a name leaves the role alone), keeping
 * the change in the personnel history with the previous holder. A role whose name and phone are
 * unchanged is not touched. The current holders are the rows of `enterprise_contacts` (they also get
 * the alarm notifications); a WeCom robot or WeChat openid set through the contacts API stays.
 * Answers the roles that changed.
 */
export async function writePersonnel(em: EntityManager, enterpriseId: string, r: PersonnelFields, effectiveDate: string, actor: PersonnelActor): Promise<PersonnelRole[]> {
  const wanted = PERSONNEL_ROLES.flatMap((role) => {
    const [nameKey, phoneKey] = PERSONNEL_FIELDS[role];
    const name = r[nameKey];
    return name ? [{ role, name, phone: r[phoneKey] === undefined ? undefined : (r[phoneKey] ?? null) }] : [];
  });
  if (wanted.length === 0) return [];
  const current = await currentPersonnel(em, enterpriseId);
  const changed: PersonnelRole[] = [];
  for (const w of wanted) {
    const before = current.get(w.role) ?? null;
    const phone = w.phone === undefined ? (before?.phone ?? null) : w.phone;
    if (before && before.name === w.name && before.phone === phone) continue;
    await em.query(
      `INSERT INTO enterprise_contacts (enterprise_id, role, name, phone) VALUES ($1, $2, $3, $4)
       ON CONFLICT (enterprise_id, role) DO UPDATE SET name = EXCLUDED.name, phone = EXCLUDED.phone, updated_at = now()`,
      [enterpriseId, w.role, w.name, phone],
    );
    await recordPersonnelChange(em, enterpriseId, w.role, { name: w.name, phone }, before, effectiveDate, actor);
    changed.push(w.role);
  }
  return changed;
}

/** One entry of the personnel history: `role` is now held by `now`, before by `before`. */
export async function recordPersonnelChange(
  em: EntityManager,
  enterpriseId: string,
  role: PersonnelRole,
  now: Person,
  before: Person | null,
  effectiveDate: string,
  actor: PersonnelActor,
): Promise<void> {
  if (before && before.name === now.name && before.phone === now.phone) return;
  await em.query(
    `INSERT INTO enterprise_personnel_history (enterprise_id, role, name, phone, previous_name, previous_phone, effective_date, source, changed_by, accepted_by, request_id)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
    [enterpriseId, role, now.name, now.phone, before?.name ?? null, before?.phone ?? null, effectiveDate, actor.source, actor.changedBy, actor.acceptedBy ?? null, actor.requestId ?? null],
  );
}

/**
 * The people of enterprises just created (no one holds a role yet), in two statements: the contact
 * rows and their first history entries. A bulk import creates thousands at once.
 */
export async function insertNewPersonnel(em: EntityManager, records: [string, PersonnelFields][], effectiveDate: string, actor: PersonnelActor): Promise<void> {
  const rows = records.flatMap(([id, r]) =>
    PERSONNEL_ROLES.flatMap((role) => {
      const [nameKey, phoneKey] = PERSONNEL_FIELDS[role];
      const name = r[nameKey];
      return name ? [[id, role, name, r[phoneKey] ?? null] as const] : [];
    }),
  );
  if (rows.length === 0) return;
  const columns = [rows.map((x) => x[0]), rows.map((x) => x[1]), rows.map((x) => x[2]), rows.map((x) => x[3])];
  await em.query(`INSERT INTO enterprise_contacts (enterprise_id, role, name, phone) SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[])`, columns);
  await em.query(
    `INSERT INTO enterprise_personnel_history (enterprise_id, role, name, phone, effective_date, source, changed_by)
     SELECT e, r, n, p, $5, $6, $7 FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[]) AS t(e, r, n, p)`,
    [...columns, effectiveDate, actor.source, actor.changedBy],
  );
}

export async function currentPersonnel(em: EntityManager | DataSource, enterpriseId: string): Promise<Map<PersonnelRole, Person>> {
  const rows: { role: PersonnelRole; name: string; phone: string | null }[] = await em.query(
    `SELECT role, name, phone FROM enterprise_contacts WHERE enterprise_id = $1`,
    [enterpriseId],
  );
  return new Map(rows.map((x) => [x.role, { name: x.name, phone: x.phone }]));
}

/** The three people as flat ledger fields. */
export function personnelFields(people: Map<string, Person> | undefined) {
  const of = (role: PersonnelRole) => people?.get(role);
  return {
    principalName: of('principal')?.name ?? null,
    principalPhone: of('principal')?.phone ?? null,
    actualControllerName: of('actual_controller')?.name ?? null,
    actualControllerPhone: of('actual_controller')?.phone ?? null,
    safetyOfficerName: of('safety_officer')?.name ?? null,
    safetyOfficerPhone: of('safety_officer')?.phone ?? null,
  };
}

const REQUEST_COLUMNS = `id, enterprise_id AS "enterpriseId", role, name, phone, to_char(effective_date, 'YYYY-MM-DD') AS "effectiveDate", note, state,
  submitted_by AS "submittedBy", submitted_at AS "submittedAt", decided_by AS "decidedBy", decided_at AS "decidedAt", decision_reason AS "decisionReason"`;

/**
 * Personnel changes of an enterprise: the history, and the requests an enterprise user submits
 * (主要负责人, 实际控制人, 安全管理人员 changes the plan asks enterprises to report) for a regulator
 * to accept or reject.
 */
export class PersonnelRepository {
  constructor(private readonly ds: DataSource) {}

  async history(enterpriseId: string): Promise<PersonnelHistoryEntry[]> {
    return this.ds.query(
      `SELECT role, name, phone, previous_name AS "previousName", previous_phone AS "previousPhone", to_char(effective_date, 'YYYY-MM-DD') AS "effectiveDate",
              source, changed_by AS "changedBy", accepted_by AS "acceptedBy", recorded_at AS "recordedAt"
         FROM enterprise_personnel_history WHERE enterprise_id = $1 ORDER BY recorded_at, effective_date`,
      [enterpriseId],
    );
  }

  async requests(enterpriseId: string): Promise<PersonnelRequest[]> {
    return this.ds.query(`SELECT ${REQUEST_COLUMNS} FROM enterprise_personnel_requests WHERE enterprise_id = $1 ORDER BY submitted_at DESC`, [enterpriseId]);
  }

  async request(id: string): Promise<PersonnelRequest | null> {
    const rows: PersonnelRequest[] = await this.ds.query(`SELECT ${REQUEST_COLUMNS} FROM enterprise_personnel_requests WHERE id = $1`, [id]);
    return rows[0] ?? null;
  }

  async submit(enterpriseId: string, input: { role: PersonnelRole; name: string; phone?: string | null; effectiveDate: string; note?: string | null }, by: string): Promise<PersonnelRequest> {
    const [row] = (await this.ds.query(
      `INSERT INTO enterprise_personnel_requests (enterprise_id, role, name, phone, effective_date, note, submitted_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING ${REQUEST_COLUMNS}`,
      [enterpriseId, input.role, input.name, input.phone ?? null, input.effectiveDate, input.note ?? null, by],
    )) as [PersonnelRequest];
    return row;
  }

  /** Accepts (the role changes, kept in the history) or rejects a pending request, once. */
  async decide(id: string, accept: boolean, by: string, reason: string | null): Promise<PersonnelRequest> {
    await this.ds.transaction(async (em) => {
      const rows: { enterprise_id: string; role: PersonnelRole; name: string; phone: string | null; effective_date: string; state: string; submitted_by: string }[] =
        await em.query(`SELECT enterprise_id, role, name, phone, to_char(effective_date, 'YYYY-MM-DD') AS effective_date, state, submitted_by FROM enterprise_personnel_requests WHERE id = $1 FOR UPDATE`, [id]);
      const r = rows[0];
      if (!r) throw new RegistryError('not_found', `personnel change ${id} not found`);
      if (r.state !== 'pending') throw new RegistryError('conflict', `personnel change ${id} is already ${r.state}`);
      await em.query(`UPDATE enterprise_personnel_requests SET state = $2, decided_by = $3, decided_at = now(), decision_reason = $4 WHERE id = $1`, [id, accept ? 'accepted' : 'rejected', by, reason]);
      if (!accept) return;
      const [nameKey, phoneKey] = PERSONNEL_FIELDS[r.role];
      await writePersonnel(em, r.enterprise_id, { [nameKey]: r.name, [phoneKey]: r.phone }, r.effective_date, {
        source: 'enterprise_request',
        changedBy: r.submitted_by,
        acceptedBy: by,
        requestId: id,
      });
    });
    return (await this.request(id)) as PersonnelRequest;
  }
}
