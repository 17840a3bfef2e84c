import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { conflict as conflictError, type DomainError, invalid, notFound } from '@sw/errors';
import { applyHazardAction, findCatalogueItem, type HazardActor, hazardCategories, reportHazard } from '@sw/hazards';
import {
  AuditRepository,
  HazardStore,
  type PageRequest,
  type Principal,
  type PublicReportRow,
  PublicReportStore,
  scopeOf,
  type TriageResult,
  visibleTo,
} from '@sw/persistence';
import { DataSource } from 'typeorm';
import type { ClientInfo } from '../auth/auth.decorator';
import { EvidenceStorageService } from '../hazards/evidence-storage.service';
import type { CloseReportDto } from './report-triage.dto';

const OPEN = ['received', 'assigned', 'verifying'];

interface EnterpriseRow {
  id: string;
  region_code: string;
  risk_categories: string[];
}

/**
 * The bureau's 举报 triage: the queue (a regulator sees its region's reports and those whose
 * enterprise is not known yet), assign, verify, pick the enterprise, close as 查实 — a confirmed
 * hazard with source `report`, linked by report_id, confirmed in the same transaction that closes
 * the report — or 不实 with a reply; a reward. Every step audited with its row change.
 */
@Injectable()
export class ReportTriageService {
  constructor(
    private readonly store: PublicReportStore,
    private readonly hazards: HazardStore,
    private readonly audit: AuditRepository,
    private readonly storage: EvidenceStorageService,
    private readonly ds: DataSource,
  ) {}

  list(p: Principal, status: string[] | undefined, page: PageRequest) {
    const scope = scopeOf(p);
    return this.store.list({ ...(status && { status }), ...(scope.kind === 'region' && { regionPrefix: scope.prefix }) }, page);
  }

  async get(p: Principal, id: string) {
    const r = await this.inScope(p, id);
    const photos = await this.store.photos(id);
    return { ...r, photos: photos.map((ph) => ({ id: ph.id, sha256: ph.sha256, mime: ph.mime, size: ph.size, url: `/api/v1/reports/${id}/photos/${ph.id}` })) };
  }

  async photo(p: Principal, id: string, photoId: string) {
    await this.inScope(p, id);
    const ph = (await this.store.photos(id)).find((x) => x.id === photoId);
    if (!ph) throw notFound(`photo ${photoId} not found`);
    return { mime: ph.mime, bytes: await this.storage.read(ph.storagePath) };
  }

  /** Assigns (default: to the caller), optionally naming the enterprise at the same time. */
  async assign(p: Principal, id: string, body: { assigneeId?: string; enterpriseId?: string }, client: ClientInfo) {
    await this.inScope(p, id);
    const assignee = body.assigneeId ? await this.regulatorUser(body.assigneeId) : { id: p.id, username: p.username };
    const ent = body.enterpriseId ? await this.enterpriseInScope(p, body.enterpriseId) : null;
    return this.step(p, id, client, 'public_report.assign', (r) =>
      !OPEN.includes(r.status)
        ? closed(r)
        : {
            status: r.status === 'received' ? 'assigned' : r.status,
            assigneeId: assignee.id,
            assigneeUsername: assignee.username,
            ...(ent && { enterpriseId: ent.id, regionCode: ent.region_code }),
          },
    );
  }

  /** The enterprise the report concerns (when the name did not match the ledger, or matched wrongly). */
  async setEnterprise(p: Principal, id: string, enterpriseId: string, client: ClientInfo) {
    await this.inScope(p, id);
    const ent = await this.enterpriseInScope(p, enterpriseId);
    return this.step(p, id, client, 'public_report.enterprise', (r) => (!OPEN.includes(r.status) ? closed(r) : { enterpriseId: ent.id, regionCode: ent.region_code }));
  }

  /** On-site verification under way, with what was found so far. */
  async verify(p: Principal, id: string, note: string, client: ClientInfo) {
    await this.inScope(p, id);
    return this.step(p, id, client, 'public_report.verify', (r) =>
      !OPEN.includes(r.status) ? closed(r) : { status: 'verifying', verifyNote: note, ...(r.assigneeId === null && { assigneeId: p.id, assigneeUsername: p.username }) },
    );
  }

  async close(p: Principal, id: string, body: CloseReportDto, client: ClientInfo) {
    const r = await this.inScope(p, id);
    if (!OPEN.includes(r.status)) throw conflict('report_closed', `the report is already closed (${r.status})`);
    const now = new Date();
    if (body.outcome === 'unfounded') {
      return this.step(p, id, client, 'public_report.close', (cur) =>
        !OPEN.includes(cur.status) ? closed(cur) : { status: 'unfounded', reply: body.reply, closedAt: now.toISOString(), closedBy: p.id },
      );
    }
    if (!r.enterpriseId) throw conflict('no_enterprise', 'name the enterprise first (POST /reports/{id}/enterprise): a hazard belongs to an enterprise');
    const ent = await this.enterpriseInScope(p, r.enterpriseId);
    const article = body.article ?? 0;
    const itemNo = body.item ?? null;
    const item = findCatalogueItem(article, itemNo);
    if (!item) throw invalid(`the catalogue has no article ${article} item ${itemNo ?? '-'}`, 'invalid_input');
    const actor = actorOf(p);
    // 1. the hazard (reported); a retry after a failed confirmation finds the one already made
    let hazardId = (await this.ds.query(`SELECT id FROM hazards WHERE report_id = $1`, [id]) as { id: string }[])[0]?.id;
    if (!hazardId) {
      const own = hazardCategories(item, ent.risk_categories);
      const created = reportHazard(
        {
          id: randomUUID(),
          enterpriseId: ent.id,
          regionCode: ent.region_code,
          source: 'report',
          article,
          item: itemNo,
          categories: own.length > 0 || item.categories === 'all' ? own : [...item.categories],
          description: body.description ?? r.description,
          location: r.address,
          reportId: id,
        },
        actor,
        now.toISOString(),
      );
      const outcome = await this.hazards.create(created, client);
      if (!outcome.ok) throw conflict(outcome.code, outcome.reason);
      hazardId = outcome.hazard.id;
    }
    const reportedEvent = (await this.hazards.events(hazardId)).find((e) => e.event === 'reported');
    const photos = await this.store.photos(id);
    // 2. confirm it and close the report in one transaction (the report's photos join the hazard's reported event)
    const hid = hazardId;
    let closedReport: PublicReportRow | null = null;
    const outcome = await this.hazards.transition(hid, (h) => applyHazardAction(h, { action: 'confirm', comment: `举报查实：${body.reply}` }, actor, now.toISOString()), client, async (em) => {
      const res = await this.store.triageIn(
        em,
        id,
        (cur) =>
          audited(p, client, 'public_report.close', !OPEN.includes(cur.status) ? closed(cur) : {
            status: 'confirmed',
            reply: body.reply,
            hazardId: hid,
            closedAt: now.toISOString(),
            closedBy: p.id,
            ...(body.reward !== undefined && { reward: body.reward }),
          }),
        now,
      );
      if (!res.ok) throw conflict(res.code, res.reason); // rolls the confirmation back
      closedReport = res.report;
      if (reportedEvent) {
        for (const ph of photos) {
          await this.hazards.addPhoto(em, { id: randomUUID(), hazardId: hid, eventId: reportedEvent.id, sha256: ph.sha256, mime: ph.mime, size: ph.size, storagePath: ph.storagePath, uploadedBy: null });
        }
      }
    });
    if (!outcome.ok) throw conflict(outcome.code, outcome.reason);
    return closedReport;
  }

  /** A reward (奖励) for a report found true. */
  async reward(p: Principal, id: string, amount: number, note: string | undefined, client: ClientInfo) {
    await this.inScope(p, id);
    return this.step(p, id, client, 'public_report.reward', (r) => (r.status !== 'confirmed' ? { ok: false, code: 'invalid_state', reason: 'a reward is recorded for a report found true (查实)' } : { reward: amount }), note ? { note } : {});
  }

  private async step(
    p: Principal,
    id: string,
    client: ClientInfo,
    action: string,
    decide: (r: PublicReportRow) => Extract<TriageResult, { ok: true }>['patch'] | { ok: false; code: string; reason: string },
    data: Record<string, unknown> = {},
  ) {
    const outcome = await this.store.triage(id, (r) => audited(p, client, action, decide(r), data), new Date());
    if (!outcome.ok) {
      await this.audit.record({ actor: actorRef(p), action, targetType: 'public_report', targetId: id, ip: client.ip, userAgent: client.userAgent, outcome: 'rejected', data: { code: outcome.code, reason: outcome.reason } });
      throw outcome.code === 'not_found' ? notFound(outcome.reason) : conflict(outcome.code, outcome.reason);
    }
    return outcome.report;
  }

  /** The report, or 404 when it does not exist or lies outside the caller's region (unplaced reports are every regulator's). */
  private async inScope(p: Principal, id: string): Promise<PublicReportRow> {
    const r = await this.store.get(id);
    const scope = scopeOf(p);
    const visible = r && (scope.kind === 'all' || (scope.kind === 'region' && (r.regionCode === null || r.regionCode.startsWith(scope.prefix))));
    if (!r || !visible) throw notFound(`report ${id} not found`);
    return r;
  }

  private async enterpriseInScope(p: Principal, enterpriseId: string): Promise<EnterpriseRow> {
    const rows: EnterpriseRow[] = await this.ds.query(`SELECT id, region_code, risk_categories FROM enterprises WHERE id = $1`, [enterpriseId]);
    return visibleTo(p, rows[0], (e) => ({ enterpriseId: e.id, regionCode: e.region_code }), `enterprise ${enterpriseId}`);
  }

  private async regulatorUser(userId: string): Promise<{ id: string; username: string }> {
    const rows: { id: string; username: string }[] = await this.ds.query(`SELECT id, username FROM users WHERE id = $1 AND role IN ('regulator', 'admin')`, [userId]);
    if (!rows[0]) throw invalid(`user ${userId} is not a regulator`, 'invalid_input');
    return rows[0];
  }
}

function actorRef(p: Principal) {
  return { id: p.id, username: p.username, role: p.role };
}

function actorOf(p: Principal): HazardActor {
  return { id: p.id, username: p.username, role: p.role, enterpriseId: p.enterpriseId };
}

function closed(r: PublicReportRow) {
  return { ok: false as const, code: 'report_closed', reason: `the report is already closed (${r.status})` };
}

function audited(p: Principal, client: ClientInfo, action: string, decided: Extract<TriageResult, { ok: true }>['patch'] | { ok: false; code: string; reason: string }, data: Record<string, unknown> = {}): TriageResult {
  if ('ok' in decided && decided.ok === false) return decided;
  const patch = decided as Extract<TriageResult, { ok: true }>['patch'];
  const shown: Record<string, unknown> = { ...patch };
  delete shown['closedBy'];
  return { ok: true, patch, audit: { actor: actorRef(p), action, ip: client.ip, userAgent: client.userAgent, outcome: 'ok', data: { ...shown, ...data } } };
}

const conflict = (code: string, message: string): DomainError => conflictError(message, code);
