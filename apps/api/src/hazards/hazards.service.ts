import { randomUUID } from 'node:crypto';
import { HttpException, Injectable, NotFoundException } from '@nestjs/common';
import {
  applyHazardAction,
  type AlarmOrigin,
  CATALOGUE_ARTICLES,
  CATALOGUE_ITEMS,
  type EvidenceMime,
  type EvidencePhotoRef,
  findCatalogueItem,
  type HazardAction,
  type HazardActor,
  hazardCategories,
  type HazardSnapshot,
  isOverdue,
  itemsForCategories,
  MAX_EVIDENCE_PHOTOS,
  reportHazard,
  sanitizeImage,
} from '@sw/hazards';
import { AlarmStore, AuditRepository, type HazardClient, type HazardFilter, type HazardOutcome, HazardStore, type PageRequest, type Principal, scopeAllows, scopeOf } from '@sw/persistence';
import { DataSource } from 'typeorm';
import { EvidenceStorageService } from './evidence-storage.service';
import { refusalOutcome, toHttp } from '../http/coded-http';

/** An uploaded file as multer hands it over (memory storage). */
export interface UploadedPhoto {
  originalname: string;
  size: number;
  buffer: Buffer;
}

interface EnterpriseRow {
  id: string;
  region_code: string;
  risk_categories: string[];
}

/** What a refused create or transition answers (REST mapping of the life's codes). */
const STATUS_OF: Record<string, number> = {
  forbidden_role: 403,
  not_own_enterprise: 404,
  not_found: 404,
  invalid_state: 409,
  same_confirmer: 409,
  duplicate: 409,
  invalid_input: 400,
};

/**
 * The hazard register's use cases: scope first (404 outside it), then the pure life function,
 * committed by `HazardStore` with its event and audit row in one transaction.
 */
@Injectable()
export class HazardsService {
  constructor(
    private readonly store: HazardStore,
    private readonly alarms: AlarmStore,
    private readonly audit: AuditRepository,
    private readonly storage: EvidenceStorageService,
    private readonly ds: DataSource,
  ) {}

  catalogue(category?: string) {
    return { articles: CATALOGUE_ARTICLES, items: category ? itemsForCategories([category]) : CATALOGUE_ITEMS };
  }

  async list(p: Principal, f: HazardFilter, page: PageRequest) {
    const now = new Date();
    const paged = await this.store.list(scopeOf(p), f, page, now);
    return { ...paged, items: paged.items.map((h) => view(h, now.getTime())) };
  }

  async get(p: Principal, id: string) {
    const h = await this.inScope(p, id);
    const [events, photos] = await Promise.all([this.store.events(id), this.store.photos(id)]);
    return {
      ...view(h, Date.now()),
      events,
      photos: photos.map((ph) => ({ id: ph.id, eventId: ph.eventId, sha256: ph.sha256, mime: ph.mime, size: ph.size, createdAt: ph.createdAt, url: `/api/v1/hazards/${id}/photos/${ph.id}` })),
    };
  }

  async photo(p: Principal, id: string, photoId: string): Promise<{ mime: string; bytes: Buffer }> {
    await this.inScope(p, id);
    const ph = (await this.store.photos(id)).find((x) => x.id === photoId);
    if (!ph) throw new NotFoundException(`photo ${photoId} not found`);
    return { mime: ph.mime, bytes: await this.storage.read(ph.storagePath) };
  }

  /** Self-check (enterprise users, their own enterprise), inspection or regulator (in scope). */
  async create(
    p: Principal,
    body: { source: 'self_check' | 'inspection' | 'regulator'; enterpriseId?: string; article: number; item: number | null; description?: string; location?: string; pointId?: string },
    client: HazardClient,
  ) {
    const enterpriseId = body.enterpriseId ?? (p.role === 'enterprise' ? p.enterpriseId : null);
    if (!enterpriseId) throw toHttp(400, 'invalid_input', 'enterpriseId is required');
    const ent = await this.enterpriseInScope(p, enterpriseId);
    if (body.pointId) await this.pointOf(body.pointId, ent.id);
    return this.record(p, ent, { source: body.source, article: body.article, item: body.item, description: body.description ?? '', location: body.location ?? null, pointId: body.pointId ?? null, alarm: null }, client);
  }

  /** From an alarm disposed with cause `real_hazard`: carries its enterprise, point, values and a link back. */
  async createFromAlarm(p: Principal, alarmId: string, body: { article: number; item: number | null; description?: string; location?: string }, client: HazardClient) {
    const found = await this.alarms.get(alarmId);
    if (!found || !scopeAllows(scopeOf(p), { enterpriseId: found.alarm.enterpriseId, regionCode: found.regionCode })) throw new NotFoundException(`alarm ${alarmId} not found`);
    const a = found.alarm;
    const disposal = (await this.alarms.events(alarmId)).filter((e) => e.event === 'disposed').at(-1);
    if (disposal?.data['cause'] !== 'real_hazard') {
      throw await this.refusal(409, 'alarm_not_real_hazard', 'a hazard is created from an alarm disposed with the cause real_hazard', { id: null, p, client, action: 'hazard.report' });
    }
    if (await this.store.byAlarm(alarmId)) throw await this.refusal(409, 'duplicate', 'a hazard was already recorded from this alarm', { id: null, p, client, action: 'hazard.report' });
    const ent = await this.enterpriseInScope(p, a.enterpriseId);
    const measures = typeof disposal.data['measures'] === 'string' ? `；处置：${disposal.data['measures']}` : '';
    const origin: AlarmOrigin = { alarmId: a.id, tier: a.peakTier, value: a.value, peakValue: a.peakValue, unit: a.unit, raisedAt: a.raisedAt, message: a.message };
    return this.record(
      p,
      ent,
      { source: 'alarm', article: body.article, item: body.item, description: body.description ?? `${a.message}${measures}`, location: body.location ?? null, pointId: a.pointId, alarm: origin },
      client,
    );
  }

  act(p: Principal, id: string, action: HazardAction, client: HazardClient) {
    return this.transition(p, id, action, client);
  }

  /**
   * Evidence: text and up to nine photos. Every photo is checked (type by content, metadata
   * stripped) before anything is written; the files are written and recorded only inside the
   * transition, after the life function accepted it — a refusal stores nothing.
   */
  async submit(p: Principal, id: string, text: string, files: UploadedPhoto[], client: HazardClient) {
    await this.inScope(p, id, { action: 'hazard.submit', client });
    if (files.length > MAX_EVIDENCE_PHOTOS) throw await this.refusal(400, 'invalid_input', `at most ${MAX_EVIDENCE_PHOTOS} photos per submission`, { id, p, client });
    const photos: { ref: EvidencePhotoRef; bytes: Uint8Array; mime: EvidenceMime }[] = [];
    for (const f of files) {
      const checked = sanitizeImage(f.buffer);
      if (!checked.ok) throw await this.refusal(400, checked.code, `${f.originalname}: ${checked.reason}`, { id, p, client });
      const sha256 = EvidenceStorageService.hash(checked.bytes);
      photos.push({ ref: { id: randomUUID(), sha256, mime: checked.mime, size: checked.bytes.length }, bytes: checked.bytes, mime: checked.mime });
    }
    return this.transition(p, id, { action: 'submit', text, photos: photos.map((x) => x.ref) }, client, async (em, _h, event) => {
      for (const ph of photos) {
        const stored = await this.storage.put(ph.bytes, ph.mime);
        await this.store.addPhoto(em, { id: ph.ref.id, hazardId: id, eventId: event.id, sha256: stored.sha256, mime: ph.mime, size: ph.ref.size, storagePath: stored.storagePath, uploadedBy: p.id });
      }
    });
  }

  private async transition(p: Principal, id: string, action: HazardAction, client: HazardClient, also?: Parameters<HazardStore['transition']>[3]) {
    await this.inScope(p, id, { action: `hazard.${action.action}`, client });
    const outcome = await this.store.transition(id, (h) => applyHazardAction(h, action, actorOf(p), new Date().toISOString()), client, also);
    return this.answer(outcome, p, id, `hazard.${action.action}`, client);
  }

  private async record(
    p: Principal,
    ent: EnterpriseRow,
    h: { source: HazardSnapshot['source']; article: number; item: number | null; description: string; location: string | null; pointId: string | null; alarm: AlarmOrigin | null },
    client: HazardClient,
  ) {
    const item = findCatalogueItem(h.article, h.item);
    if (!item) throw await this.refusal(400, 'invalid_input', `the catalogue has no article ${h.article} item ${h.item ?? '-'}`, { id: null, p, client, action: 'hazard.report' });
    const own = hazardCategories(item, ent.risk_categories);
    const categories = own.length > 0 || item.categories === 'all' ? own : [...item.categories];
    const id = randomUUID();
    const result = reportHazard({ id, enterpriseId: ent.id, regionCode: ent.region_code, categories, ...h }, actorOf(p), new Date().toISOString());
    return this.answer(await this.store.create(result, client), p, id, 'hazard.report', client);
  }

  private async answer(outcome: HazardOutcome, p: Principal, id: string, action: string, client: HazardClient) {
    if (outcome.ok) return view(outcome.hazard, Date.now());
    throw await this.refusal(STATUS_OF[outcome.code] ?? 409, outcome.code, outcome.reason, { id, p, client, action });
  }

  /** Records the refusal in the audit log, then answers the exception to throw. */
  private async refusal(status: number, code: string, reason: string, ctx: { id: string | null; p: Principal; client: HazardClient; action?: string }): Promise<HttpException> {
    await this.audit.record({
      actor: { id: ctx.p.id, username: ctx.p.username, role: ctx.p.role },
      action: ctx.action ?? 'hazard.submit',
      targetType: 'hazard',
      targetId: ctx.id,
      ip: ctx.client.ip,
      userAgent: ctx.client.userAgent,
      outcome: refusalOutcome(status),
      data: { status, code, reason },
    });
    return toHttp(status, code, reason);
  }

  /** The hazard, or 404 when it does not exist or lies outside the scope (an action's 404 is audited as denied). */
  private async inScope(p: Principal, id: string, audit?: { action: string; client: HazardClient }): Promise<HazardSnapshot> {
    const h = await this.store.get(id);
    if (!h || !scopeAllows(scopeOf(p), { enterpriseId: h.enterpriseId, regionCode: h.regionCode })) {
      if (audit) throw await this.refusal(404, 'not_found', `hazard ${id} not found`, { id, p, client: audit.client, action: audit.action });
      throw new NotFoundException(`hazard ${id} not found`);
    }
    return h;
  }

  private async enterpriseInScope(p: Principal, enterpriseId: string): Promise<EnterpriseRow> {
    const rows: EnterpriseRow[] = await this.ds.query(`SELECT id, region_code, risk_categories FROM enterprises WHERE id = $1`, [enterpriseId]);
    const ent = rows[0];
    if (!ent || !scopeAllows(scopeOf(p), { enterpriseId: ent.id, regionCode: ent.region_code })) throw new NotFoundException(`enterprise ${enterpriseId} not found`);
    return ent;
  }

  private async pointOf(pointId: string, enterpriseId: string): Promise<void> {
    const rows: unknown[] = await this.ds.query(`SELECT 1 FROM points p JOIN gateways g ON g.id = p.gateway_id WHERE p.id = $1 AND g.enterprise_id = $2`, [pointId, enterpriseId]);
    if (rows.length === 0) throw toHttp(400, 'invalid_input', `point ${pointId} is not a point of enterprise ${enterpriseId}`);
  }
}

function actorOf(p: Principal): HazardActor {
  return { id: p.id, username: p.username, role: p.role, enterpriseId: p.enterpriseId };
}

/** A hazard as the API answers it: the snapshot, its 判定依据 label and title, and `overdue` now. */
export function view(h: HazardSnapshot, now: number) {
  const item = findCatalogueItem(h.article, h.item);
  return { ...h, basis: item ? { label: item.label, title: item.title } : null, deadline: h.plan?.deadline ?? null, overdue: isOverdue(h, now) };
}

