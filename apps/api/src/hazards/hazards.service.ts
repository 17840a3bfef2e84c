import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { DomainError, type ErrorKind, invalid, notFound } from '@sw/errors';
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
import { AlarmStore, AuditRepository, type HazardClient, type HazardFilter, type HazardOutcome, HazardStore, type PageRequest, type Principal, scopeOf, scopeReaches, visibleTo } from '@sw/persistence';
import { DataSource } from 'typeorm';
import { EvidenceStorageService } from './evidence-storage.service';
import { refusalAudit } from '../audit/audit-outcome';

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

/** The kind of each code a refused create or transition carries (libs/hazards `HazardErrorCode`, HazardStore's own). */
const KIND_OF: Record<string, ErrorKind> = {
  forbidden_role: 'forbidden',
  not_own_enterprise: 'not_found',
  not_found: 'not_found',
  invalid_state: 'conflict',
  same_confirmer: 'conflict',
  duplicate: 'conflict',
  invalid_input: 'invalid',
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
    if (!ph) throw notFound(`photo ${photoId} not found`);
    return { mime: ph.mime, bytes: await this.storage.read(ph.storagePath) };
  }

  /** Self-check (enterprise users, their own enterprise), inspection or regulator (in scope). */
  async create(
    p: Principal,
    body: { source: 'self_check' | 'inspection' | 'regulator'; enterpriseId?: string; article: number; item: number | null; description?: string; location?: string; pointId?: string },
    client: HazardClient,
  ) {
    const enterpriseId = body.enterpriseId ?? (p.role === 'enterprise' ? p.enterpriseId : null);
    if (!enterpriseId) throw invalid('enterpriseId is required', 'invalid_input');
    const ent = await this.enterpriseInScope(p, enterpriseId);
    if (body.pointId) await this.pointOf(body.pointId, ent.id);
    return this.record(p, ent, { source: body.source, article: body.article, item: body.item, description: body.description ?? '', location: body.location ?? null, pointId: body.pointId ?? null, alarm: null }, client);
  }

  /** From an alarm disposed with cause `real_hazard`: carries its enterprise, point, values and a link back. */
  async createFromAlarm(p: Principal, alarmId: string, body: { article: number; item: number | null; description?: string; location?: string }, client: HazardClient) {
    const found = visibleTo(p, await this.alarms.get(alarmId), (f) => ({ enterpriseId: f.alarm.enterpriseId, regionCode: f.regionCode }), `alarm ${alarmId}`, 'alarm_not_found');
    const a = found.alarm;
    const disposal = (await this.alarms.events(alarmId)).filter((e) => e.event === 'disposed').at(-1);
    if (disposal?.data['cause'] !== 'real_hazard') {
      throw await this.refusal(new DomainError('conflict', 'a hazard is created from an alarm disposed with the cause real_hazard', { code: 'alarm_not_real_hazard' }), { id: null, p, client, action: 'hazard.report' });
    }
    if (await this.store.byAlarm(alarmId)) throw await this.refusal(new DomainError('conflict', 'a hazard was already recorded from this alarm', { code: 'duplicate' }), { id: null, p, client, action: 'hazard.report' });
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
    if (files.length > MAX_EVIDENCE_PHOTOS) throw await this.refusal(invalid(`at most ${MAX_EVIDENCE_PHOTOS} photos per submission`, 'invalid_input'), { id, p, client });
    const photos: { ref: EvidencePhotoRef; bytes: Uint8Array; mime: EvidenceMime }[] = [];
    for (const f of files) {
      const checked = sanitizeImage(f.buffer);
      if (!checked.ok) throw await this.refusal(invalid(`${f.originalname}: ${checked.reason}`, checked.code), { id, p, client });
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
    if (!item) throw await this.refusal(invalid(`the catalogue has no article ${h.article} item ${h.item ?? '-'}`, 'invalid_input'), { id: null, p, client, action: 'hazard.report' });
    const own = hazardCategories(item, ent.risk_categories);
    const categories = own.length > 0 || item.categories === 'all' ? own : [...item.categories];
    const id = randomUUID();
    const result = reportHazard({ id, enterpriseId: ent.id, regionCode: ent.region_code, categories, ...h }, actorOf(p), new Date().toISOString());
    return this.answer(await this.store.create(result, client), p, id, 'hazard.report', client);
  }

  private async answer(outcome: HazardOutcome, p: Principal, id: string, action: string, client: HazardClient) {
    if (outcome.ok) return view(outcome.hazard, Date.now());
    throw await this.refusal(new DomainError(KIND_OF[outcome.code] ?? 'conflict', outcome.reason, { code: outcome.code }), { id, p, client, action });
  }

  /** Records the refusal in the audit log, then answers the error to throw. */
  private async refusal(err: DomainError, ctx: { id: string | null; p: Principal; client: HazardClient; action?: string }): Promise<DomainError> {
    const { outcome, data } = refusalAudit(err);
    await this.audit.record({
      actor: { id: ctx.p.id, username: ctx.p.username, role: ctx.p.role },
      action: ctx.action ?? 'hazard.submit',
      targetType: 'hazard',
      targetId: ctx.id,
      ip: ctx.client.ip,
      userAgent: ctx.client.userAgent,
      outcome,
      data,
    });
    return err;
  }

  /** The hazard, or 404 when it does not exist or lies outside the scope (an action's 404 is audited as denied). */
  private async inScope(p: Principal, id: string, audit?: { action: string; client: HazardClient }): Promise<HazardSnapshot> {
    const h = await this.store.get(id);
    if (h && scopeReaches(scopeOf(p), h)) return h;
    const err = notFound(`hazard ${id} not found`);
    throw audit ? await this.refusal(err, { id, p, client: audit.client, action: audit.action }) : err;
  }

  private async enterpriseInScope(p: Principal, enterpriseId: string): Promise<EnterpriseRow> {
    const rows: EnterpriseRow[] = await this.ds.query(`SELECT id, region_code, risk_categories FROM enterprises WHERE id = $1`, [enterpriseId]);
    return visibleTo(p, rows[0], (e) => ({ enterpriseId: e.id, regionCode: e.region_code }), `enterprise ${enterpriseId}`);
  }

  private async pointOf(pointId: string, enterpriseId: string): Promise<void> {
    const rows: unknown[] = await this.ds.query(`SELECT 1 FROM points p JOIN gateways g ON g.id = p.gateway_id WHERE p.id = $1 AND g.enterprise_id = $2`, [pointId, enterpriseId]);
    if (rows.length === 0) throw invalid(`point ${pointId} is not a point of enterprise ${enterpriseId}`, 'invalid_input');
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

