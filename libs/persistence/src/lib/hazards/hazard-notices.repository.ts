import { HAZARD_CONFIRM_RECIPIENTS, type HazardNoticeOccasion, type HazardNoticeRecipient, type HazardSnapshot, hazardNoticeKey, overdueDays, renderHazardNotice } from '@sw/hazards';
import type { DataSource, EntityManager } from 'typeorm';

/** One person a notice goes to (the address the delivery worker's providers read). */
interface NoticePerson {
  recipient: HazardNoticeRecipient;
  /** Distinguishes people in the dedup key: the role, or the role and the duty officer's slot. */
  ref: string;
  name: string;
  phone: string | null;
  wecomKey: string | null;
  wechatOpenid: string | null;
}

type ContactRow = { role: string; name: string; phone: string | null; wecom_key: string | null; wechat_openid: string | null; region_code: string | null; position: number | null };

/** A hazard notice goes out on both channels; each row's providers are chosen by the delivery worker. */
const CHANNELS = ['sms', 'wechat'] as const;

/** An hour's worth of overdue hazards per sweep transaction is plenty for a district. */
const SWEEP_LIMIT = 1000;

/**
 * Writes hazard notices into `notification_outbox` (the alarm notifications' outbox, delivered by
 * alerting's worker): on confirmation, inside the transaction of the `confirmed` event
 * (`HazardStore`'s hook), and for overdue hazards, day by day, from alerting's sweep. Every row is
 * keyed by `hazardNoticeKey` (UNIQUE), so a replay or a second sweep is a no-op.
 *
 * Who stands for whom (the contacts the ledger has today): 主要负责人 → the enterprise contact
 * `principal`; 实际控制人 → an `actual_controller` contact when one is on file, else the
 * `safety_officer`; 行业管理部门 → the `industry_departments` rows of the hazard's categories
 * (district, else city), and when none is on file the duty officers of the hazard's district; the
 * district duty officer → `duty_officers` of the hazard's six-digit region. A role with nobody on file still gets one row, which fails visibly.
 */
export class HazardNoticesRepository {
  constructor(private readonly ds: DataSource) {}

  /** The `HazardStore` hook: queues the confirmation notices with the `confirmed` event. */
  readonly onEvent = async (em: EntityManager, h: HazardSnapshot, event: { event: string; at: string }): Promise<void> => {
    if (event.event === 'confirmed') await this.enqueue(em, h, 'confirmed', null, event.at);
  };

  /**
   * Queues the day's escalation of every hazard overdue by a day or more (day n keyed
   * `overdue:d<n>`), all in one transaction under the advisory lock `lockKey`; `clock` is read once
   * the lock is held. Answers how many hazards were due, or null when another instance holds the
   * lock (it is doing the same work).
   */
  async sweepOverdue(clock: () => number, lockKey: number): Promise<number | null> {
    return this.ds.transaction(async (em) => {
      const [lock] = (await em.query(`SELECT pg_try_advisory_xact_lock($1) AS ok`, [lockKey])) as [{ ok: boolean }];
      if (!lock.ok) return null;
      const now = clock();
      const rows: { snapshot: HazardSnapshot }[] = await em.query(
        `SELECT snapshot FROM hazards WHERE status NOT IN ('signed_off', 'rejected') AND deadline <= $1 ORDER BY deadline, id LIMIT $2`,
        [new Date(now - 86_400_000), SWEEP_LIMIT],
      );
      let due = 0;
      for (const { snapshot: h } of rows) {
        const day = overdueDays(h, now);
        if (day === null || day < 1) continue;
        await this.enqueue(em, h, 'overdue', day, new Date(now).toISOString());
        due++;
      }
      return due;
    });
  }

  private async enqueue(em: EntityManager, h: HazardSnapshot, occasion: HazardNoticeOccasion, day: number | null, at: string): Promise<void> {
    const ent: { name: string }[] = await em.query(`SELECT name FROM enterprises WHERE id = $1`, [h.enterpriseId]);
    const m = renderHazardNotice(h, occasion, ent[0]?.name ?? '未知企业', at, day);
    const people = occasion === 'confirmed' ? await this.confirmRecipients(em, h) : await this.dutyOfficers(em, h.regionCode, 'district_duty_officer');
    const rows = people.flatMap((p) =>
      CHANNELS.map((channel) => {
        const to = channel === 'sms' ? (p.phone ?? p.wechatOpenid ?? p.wecomKey) : (p.wechatOpenid ?? p.wecomKey ?? p.phone);
        const address = { name: p.name, phone: p.phone, wecomKey: p.wecomKey, wechatOpenid: p.wechatOpenid, to: to ?? p.ref, params: m.params, link: m.link };
        return [hazardNoticeKey(h.id, occasion, day, p.ref, channel), h.id, `hazard_${occasion}`, p.ref, channel, JSON.stringify(address), [], m.title, m.body];
      }),
    );
    if (rows.length === 0) return;
    const columns = ['dedup_key', 'hazard_id', 'kind', 'recipient', 'channel', 'address', 'providers', 'title', 'body'];
    const values = rows.map((_, i) => `(${columns.map((__, j) => `$${i * columns.length + j + 1}`).join(', ')})`).join(', ');
    await em.query(`INSERT INTO notification_outbox (${columns.join(', ')}) VALUES ${values} ON CONFLICT (dedup_key) DO NOTHING`, rows.flat());
  }

  private async confirmRecipients(em: EntityManager, h: HazardSnapshot): Promise<NoticePerson[]> {
    const contacts: ContactRow[] = await em.query(
      `SELECT role, name, phone, wecom_key, wechat_openid, NULL AS region_code, NULL AS position FROM enterprise_contacts WHERE enterprise_id = $1`,
      [h.enterpriseId],
    );
    const byRole = (role: string) => contacts.find((c) => c.role === role);
    const person = (recipient: HazardNoticeRecipient, c: ContactRow | undefined): NoticePerson[] =>
      c ? [{ recipient, ref: recipient, name: c.name, phone: c.phone, wecomKey: c.wecom_key, wechatOpenid: c.wechat_openid }] : [missing(recipient)];
    const out: NoticePerson[] = [];
    for (const r of HAZARD_CONFIRM_RECIPIENTS) {
      if (r === 'principal') out.push(...person(r, byRole('principal')));
      if (r === 'actual_controller') out.push(...person(r, byRole('actual_controller') ?? byRole('safety_officer')));
      if (r === 'industry_department') {
        const departments = await this.industryDepartments(em, h);
        out.push(...(departments.length > 0 ? departments : await this.dutyOfficers(em, h.regionCode, r)));
      }
    }
    return out;
  }

  /**
   * The 行业管理部门 contacts for the hazard's categories: per category the district's row, else the
   * city's; one person once even when several categories name them (same department, name, phone,
   * WeCom robot and openid).
   */
  private async industryDepartments(em: EntityManager, h: HazardSnapshot): Promise<NoticePerson[]> {
    if (h.categories.length === 0) return [];
    const city = h.regionCode.slice(0, 4);
    const rows: (ContactRow & { department: string; category: string })[] = await em.query(
      `SELECT DISTINCT ON (category) category, department, region_code, name, phone, wecom_key, wechat_openid, NULL AS role, NULL AS position
         FROM industry_departments WHERE category = ANY($1) AND region_code IN ($2, $3)
         ORDER BY category, length(region_code) DESC`,
      [h.categories, h.regionCode, city],
    );
    const seen = new Set<string>();
    const out: NoticePerson[] = [];
    for (const c of rows) {
      const who = JSON.stringify([c.department, c.name, c.phone, c.wecom_key, c.wechat_openid]);
      if (seen.has(who)) continue;
      seen.add(who);
      out.push({ recipient: 'industry_department', ref: `industry_department#${c.region_code}.${c.category}`, name: `${c.department} ${c.name}`, phone: c.phone, wecomKey: c.wecom_key, wechatOpenid: c.wechat_openid });
    }
    return out;
  }

  private async dutyOfficers(em: EntityManager, regionCode: string, recipient: HazardNoticeRecipient): Promise<NoticePerson[]> {
    const rows: ContactRow[] = await em.query(
      `SELECT 'duty_officer' AS role, name, phone, wecom_key, wechat_openid, region_code, position FROM duty_officers WHERE region_code = $1 ORDER BY position`,
      [regionCode],
    );
    if (rows.length === 0) return [missing(recipient)];
    return rows.map((c) => ({ recipient, ref: `${recipient}#${c.region_code}.${c.position}`, name: c.name, phone: c.phone, wecomKey: c.wecom_key, wechatOpenid: c.wechat_openid }));
  }
}

const missing = (recipient: HazardNoticeRecipient): NoticePerson => ({ recipient, ref: recipient, name: '', phone: null, wecomKey: null, wechatOpenid: null });
