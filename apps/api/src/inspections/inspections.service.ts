import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { conflict, DomainError, invalid, notFound } from '@sw/errors';
import { type EvidenceMime, MAX_EVIDENCE_PHOTOS, sanitizeImage } from '@sw/hazards';
import { checklistFor, type CheckResult, dueList, type InspectionAction, type InspectionMode, shanghaiDay, dueEntry } from '@sw/inspections';
import {
  AlarmStore,
  AuditRepository,
  type InspectionFilter,
  type InspectionOutcome,
  type InspectionRow,
  InspectionStore,
  type InspectionWork,
  InspectorPoolRepository,
  type PageRequest,
  type Principal,
  scopeOf,
  scopeReaches,
  visibleTo,
} from '@sw/persistence';
import { DataSource } from 'typeorm';
import type { ClientInfo } from '../auth/auth.decorator';
import { EvidenceStorageService } from '../hazards/evidence-storage.service';
import { HazardsService, type UploadedPhoto } from '../hazards/hazards.service';
import { refusalAudit } from '../audit/audit-outcome';
import { actorOf, KIND_OF } from './inspection-http';
import { InspectorsService } from './inspectors.service';

interface EnterpriseRow {
  id: string;
  name: string;
  region_code: string;
  risk_categories: string[];
}

/**
 * Inspection records (执法检查, docs/domain.md "The closed loop"): a visit from planned to closed.
 * Scope first (404 outside it), then one `InspectionStore.change` per step: the life step checked,
 * the rows written, the event and the audit row — one transaction. A major finding is recorded
 * and confirmed in the hazard register through `HazardsService` (source `inspection`, its own
 * audited events), then linked to the finding.
 */
@Injectable()
export class InspectionsService {
  constructor(
    private readonly store: InspectionStore,
    private readonly pool: InspectorPoolRepository,
    private readonly hazards: HazardsService,
    private readonly storage: EvidenceStorageService,
    private readonly alarms: AlarmStore,
    private readonly audit: AuditRepository,
    private readonly ds: DataSource,
  ) {}

  list(p: Principal, f: InspectionFilter, page: PageRequest) {
    return this.store.list(scopeOf(p), f, page);
  }

  async get(p: Principal, id: string) {
    const row = await this.inScope(p, id);
    const [parts, events] = await Promise.all([this.store.parts(id), this.store.events(id)]);
    return {
      ...row,
      ...parts,
      photos: parts.photos.map((ph) => ({ id: ph.id, checklistItemId: ph.checklistItemId, sha256: ph.sha256, mime: ph.mime, size: ph.size, createdAt: ph.createdAt, url: `/api/v1/inspections/${id}/photos/${ph.id}` })),
      recordUrl: `/api/v1/inspections/${id}/record.pdf`,
      events,
    };
  }

  /** A visit or task: any mode; `online_patrol` from an alarm (its enterprise) or an enterprise page. */
  async create(p: Principal, body: { mode: InspectionMode; enterpriseId?: string; alarmId?: string; visitDate?: string; subject?: string; inspectorIds?: string[] }, client: ClientInfo) {
    let enterpriseId = body.enterpriseId ?? null;
    if (body.alarmId) {
      const found = visibleTo(p, await this.alarms.get(body.alarmId), (f) => ({ enterpriseId: f.alarm.enterpriseId, regionCode: f.regionCode }), `alarm ${body.alarmId}`, 'alarm_not_found');
      if (enterpriseId && enterpriseId !== found.alarm.enterpriseId) throw invalid('the alarm belongs to another enterprise', 'invalid_input');
      enterpriseId = found.alarm.enterpriseId;
    }
    if (!enterpriseId) throw invalid('enterpriseId or alarmId is required', 'invalid_input');
    const ent = await this.enterpriseInScope(p, enterpriseId);
    const team = body.inspectorIds ? await this.team(ent, body.inspectorIds) : [];
    const subject = body.subject ?? (body.alarmId ? `线上巡查：报警 ${body.alarmId}` : null);
    const created = await this.store.create(
      {
        id: randomUUID(),
        enterpriseId: ent.id,
        regionCode: ent.region_code,
        mode: body.mode,
        visitDate: body.visitDate ?? shanghaiDay(Date.now()),
        drawId: null,
        alarmId: body.alarmId ?? null,
        subject,
        inspectors: team,
        checklist: checklistFor(ent.risk_categories),
      },
      actorOf(p),
      client,
    );
    return this.get(p, created.id);
  }

  /** The visit on site: day, at least two inspectors (certificate numbers kept), the checklist results. */
  async record(p: Principal, id: string, body: { visitDate: string; inspectorIds: string[]; checklist: { id: number; result: CheckResult; note?: string }[]; summary?: string }, client: ClientInfo) {
    const row = await this.inScope(p, id, { action: 'inspection.record', client });
    const ent = await this.enterpriseInScope(p, row.enterpriseId);
    const team = await this.team(ent, body.inspectorIds, { p, id, client });
    return this.change(p, id, 'record', client, async (em) => {
      await this.store.setTeam(em, id, team);
      for (const c of body.checklist) {
        const [, n] = (await em.query(`UPDATE inspection_checklist_items SET result = $3, note = $4 WHERE id = $1 AND inspection_id = $2`, [c.id, id, c.result, c.note ?? null])) as [unknown, number];
        if (n !== 1) throw Object.assign(new Error(`checklist item ${c.id} is not an item of this inspection`), { code: 'invalid_input' });
      }
      await em.query(`UPDATE inspections SET visit_date = $2, summary = $3 WHERE id = $1`, [id, body.visitDate, body.summary ?? null]);
      return { value: null, data: { visitDate: body.visitDate, inspectors: team.map((t) => ({ id: t.id, certificateNo: t.certificateNo })), results: countResults(body.checklist) } };
    });
  }

  /** A finding: `major` is recorded and confirmed in the hazard register (source inspection); `general` stays here. */
  async addFinding(p: Principal, id: string, body: { kind: 'major' | 'general'; article?: number; item?: number | null; description: string; location?: string }, client: ClientInfo) {
    const row = await this.inScope(p, id, { action: 'inspection.finding', client });
    if (row.status !== 'recorded') throw await this.refusal(conflict(`a finding is added to a recorded inspection (this one is ${row.status})`, 'invalid_state'), { id, p, client, action: 'inspection.finding' });
    let hazardId: string | null = null;
    if (body.kind === 'major' && body.article !== undefined) {
      const reported = await this.hazards.create(p, { source: 'inspection', enterpriseId: row.enterpriseId, article: body.article, item: body.item ?? null, description: body.description, location: body.location }, client);
      const confirmed = await this.hazards.act(p, reported.id, { action: 'confirm', comment: `执法检查 ${row.visitDate} 发现` }, client);
      hazardId = confirmed.id;
    }
    const findingId = randomUUID();
    return this.change(p, id, 'finding', client, async (em) => {
      await em.query(`INSERT INTO inspection_findings (id, inspection_id, kind, article, item, description, hazard_id, created_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`, [
        findingId,
        id,
        body.kind,
        body.article ?? null,
        body.item ?? null,
        body.description,
        hazardId,
        p.id,
      ]);
      // the register's column for the inspection that found the hazard (a link, not a state change)
      if (hazardId) await em.query(`UPDATE hazards SET inspection_id = $2 WHERE id = $1`, [hazardId, id]);
      return { value: null, data: { findingId, kind: body.kind, hazardId, article: body.article ?? null, item: body.item ?? null } };
    });
  }

  /** 责令整改: the order's number, deadline and requirements. */
  order(p: Principal, id: string, body: { number: string; deadline: string; requirements: string }, client: ClientInfo) {
    return this.guarded(p, id, 'order', client, async (em) => {
      await em.query(`INSERT INTO inspection_orders (id, inspection_id, number, deadline, requirements, status, issued_by) VALUES ($1, $2, $3, $4, $5, 'open', $6)`, [randomUUID(), id, body.number, body.deadline, body.requirements, p.id]);
      return { value: null, data: { ...body } };
    });
  }

  /** 复查: passed closes the order and the inspection; failed keeps it rectifying. */
  async reinspect(p: Principal, id: string, body: { visitDate: string; passed: boolean; note: string }, client: ClientInfo) {
    return this.guarded(p, id, body.passed ? 'reinspect_passed' : 'reinspect_failed', client, async (em) => {
      const [order] = (await em.query(`SELECT id FROM inspection_orders WHERE inspection_id = $1`, [id])) as { id: string }[];
      if (!order) throw Object.assign(new Error('the inspection has no rectification order'), { code: 'invalid_input' });
      await em.query(`INSERT INTO inspection_reinspections (id, inspection_id, order_id, visit_date, passed, note, recorded_by) VALUES ($1, $2, $3, $4, $5, $6, $7)`, [
        randomUUID(),
        id,
        order.id,
        body.visitDate,
        body.passed,
        body.note,
        p.id,
      ]);
      if (body.passed) await em.query(`UPDATE inspection_orders SET status = 'closed', closed_at = now() WHERE id = $1`, [order.id]);
      return { value: null, reason: body.note, data: { visitDate: body.visitDate, passed: body.passed } };
    });
  }

  /** 行政处罚决定: legal basis, amount (yuan), decision number, day. */
  penalty(p: Principal, id: string, body: { legalBasis: string; amount: number; decisionNumber: string; decidedOn: string }, client: ClientInfo) {
    return this.guarded(p, id, 'penalty', client, async (em) => {
      await em.query(`INSERT INTO inspection_penalties (id, inspection_id, legal_basis, amount, decision_number, decided_on, recorded_by) VALUES ($1, $2, $3, $4, $5, $6, $7)`, [
        randomUUID(),
        id,
        body.legalBasis,
        body.amount,
        body.decisionNumber,
        body.decidedOn,
        p.id,
      ]);
      return { value: null, data: { ...body } };
    });
  }

  close(p: Principal, id: string, comment: string | undefined, client: ClientInfo) {
    return this.guarded(p, id, 'close', client, async () => ({ value: null, reason: comment ?? null }));
  }

  cancel(p: Principal, id: string, reason: string, client: ClientInfo) {
    return this.guarded(p, id, 'cancel', client, async () => ({ value: null, reason }));
  }

  /** Photos of the visit (optionally of one checklist item): checked and stripped like hazard evidence, stored under EVIDENCE_DIR. */
  async addPhotos(p: Principal, id: string, files: UploadedPhoto[], checklistItemId: number | undefined, client: ClientInfo) {
    await this.inScope(p, id, { action: 'inspection.photo', client });
    if (files.length === 0 || files.length > MAX_EVIDENCE_PHOTOS) throw await this.refusal(invalid(`1 to ${MAX_EVIDENCE_PHOTOS} photos per upload`, 'invalid_input'), { id, p, client, action: 'inspection.photo' });
    const checked: { bytes: Uint8Array; mime: EvidenceMime }[] = [];
    for (const f of files) {
      const c = sanitizeImage(f.buffer);
      if (!c.ok) throw await this.refusal(invalid(`${f.originalname}: ${c.reason}`, c.code), { id, p, client, action: 'inspection.photo' });
      checked.push({ bytes: c.bytes, mime: c.mime });
    }
    return this.guarded(p, id, 'photo', client, async (em) => {
      if (checklistItemId !== undefined) {
        const rows: unknown[] = await em.query(`SELECT 1 FROM inspection_checklist_items WHERE id = $1 AND inspection_id = $2`, [checklistItemId, id]);
        if (rows.length === 0) throw Object.assign(new Error(`checklist item ${checklistItemId} is not an item of this inspection`), { code: 'invalid_input' });
      }
      const ids: string[] = [];
      for (const c of checked) {
        const stored = await this.storage.put(c.bytes, c.mime);
        const photoId = randomUUID();
        ids.push(photoId);
        await em.query(`INSERT INTO inspection_photos (id, inspection_id, checklist_item_id, sha256, mime, size, storage_path, uploaded_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`, [
          photoId,
          id,
          checklistItemId ?? null,
          stored.sha256,
          c.mime,
          c.bytes.length,
          stored.storagePath,
          p.id,
        ]);
      }
      return { value: null, data: { photos: ids, checklistItemId: checklistItemId ?? null } };
    });
  }

  async photo(p: Principal, id: string, photoId: string): Promise<{ mime: string; bytes: Buffer }> {
    await this.inScope(p, id);
    const ph = (await this.store.parts(id)).photos.find((x) => x.id === photoId);
    if (!ph) throw notFound(`photo ${photoId} not found`);
    return { mime: ph.mime, bytes: await this.storage.read(ph.storagePath) };
  }

  /** The due list: enterprises of the region whose level-based inspection is due or overdue (`all`: every enterprise with its next day). */
  async due(p: Principal, regionCode: string | undefined, asOf: string | undefined, all: boolean) {
    const region = InspectorsService.regionOf(p, regionCode) ?? '';
    const today = asOf ?? shanghaiDay(Date.now());
    const ledger = await this.store.ledgerForDraw(region);
    const names = new Map(ledger.map((e) => [e.id, e]));
    const input = ledger.map((e) => ({ enterpriseId: e.id, level: e.level, lastInspectedOn: e.lastInspectedOn }));
    const entries = all ? input.map((e) => dueEntry(e, today)) : dueList(input, today);
    return { regionCode: region || null, asOf: today, items: entries.map((d) => ({ ...d, name: names.get(d.enterpriseId)?.name ?? null, regionCode: names.get(d.enterpriseId)?.regionCode ?? null })) };
  }

  // ---- helpers ----

  private guarded(p: Principal, id: string, action: InspectionAction, client: ClientInfo, work: InspectionWork<null>) {
    return this.inScope(p, id, { action: `inspection.${action}`, client }).then(() => this.change(p, id, action, client, work));
  }

  private async change(p: Principal, id: string, action: InspectionAction, client: ClientInfo, work: InspectionWork<null>) {
    let outcome: InspectionOutcome<null>;
    try {
      outcome = await this.store.change(id, action, actorOf(p), client, work);
    } catch (err) {
      const code = (err as { code?: string }).code;
      if (code === 'invalid_input') throw await this.refusal(invalid((err as Error).message, 'invalid_input'), { id, p, client, action: `inspection.${action}` });
      if (code === '23505') throw await this.refusal(conflict('the number is already used', 'duplicate'), { id, p, client, action: `inspection.${action}` });
      throw err;
    }
    if (!outcome.ok) throw await this.refusal(new DomainError(KIND_OF[outcome.code] ?? 'conflict', outcome.reason, { code: outcome.code }), { id, p, client, action: `inspection.${action}` });
    return this.get(p, id);
  }

  /** The team: at least two active inspectors whose region covers the enterprise, none related to it. */
  private async team(ent: EnterpriseRow, ids: string[], audit?: { p: Principal; id: string; client: ClientInfo }) {
    const unique = [...new Set(ids)];
    const fail = async (err: DomainError) => {
      throw audit ? await this.refusal(err, { id: audit.id, p: audit.p, client: audit.client, action: 'inspection.record' }) : err;
    };
    if (unique.length > 0 && unique.length < 2) return fail(invalid('an inspection needs at least two inspectors', 'invalid_input'));
    const pool = await this.pool.list(ent.region_code);
    const team = [];
    for (const i of unique) {
      const found = pool.find((x) => x.id === i);
      if (!found) return fail(invalid(`inspector ${i} is not in the pool of region ${ent.region_code}`, 'invalid_input'));
      if (!found.active) return fail(conflict(`inspector ${found.name} is not active`, 'inspector_unavailable'));
      if (found.relatedEnterpriseIds.includes(ent.id)) return fail(conflict(`inspector ${found.name} is related to this enterprise`, 'conflict_of_interest'));
      team.push({ id: found.id, name: found.name, certificateNo: found.certificateNo });
    }
    return team;
  }

  /** Records the refusal in the audit log, then answers the error to throw. */
  private async refusal(err: DomainError, ctx: { id: string | null; p: Principal; client: ClientInfo; action: string }): Promise<DomainError> {
    const { outcome, data } = refusalAudit(err);
    await this.audit.record({
      actor: actorOf(ctx.p),
      action: ctx.action,
      targetType: 'inspection',
      targetId: ctx.id,
      ip: ctx.client.ip,
      userAgent: ctx.client.userAgent,
      outcome,
      data,
    });
    return err;
  }

  private async inScope(p: Principal, id: string, audit?: { action: string; client: ClientInfo }): Promise<InspectionRow> {
    const row = await this.store.get(id);
    if (row && scopeReaches(scopeOf(p), row)) return row;
    const err = notFound(`inspection ${id} not found`);
    throw audit ? await this.refusal(err, { id, p, client: audit.client, action: audit.action }) : err;
  }

  private async enterpriseInScope(p: Principal, enterpriseId: string): Promise<EnterpriseRow> {
    const rows: EnterpriseRow[] = await this.ds.query(`SELECT id, name, region_code, risk_categories FROM enterprises WHERE id = $1`, [enterpriseId]);
    return visibleTo(p, rows[0], (e) => ({ enterpriseId: e.id, regionCode: e.region_code }), `enterprise ${enterpriseId}`);
  }
}

function countResults(items: { result: CheckResult }[]): Record<CheckResult, number> {
  const out: Record<CheckResult, number> = { compliant: 0, finding: 0, not_applicable: 0 };
  for (const i of items) out[i.result] += 1;
  return out;
}
