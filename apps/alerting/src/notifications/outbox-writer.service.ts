import { Inject, Injectable, Logger } from '@nestjs/common';
import type { CommittedEvent, InTransaction, OutboxDraft, OutboxPlan, UnnumberedEvent } from '@sw/persistence';
import type { AlarmEventName, AlarmSnapshot, Channel, EscalationPolicy, NotifyTarget, Recipient } from '@sw/rules';
import type { Tier } from '@sw/sensors';
import type { EntityManager } from 'typeorm';
import { ESCALATION_POLICY } from '../alarms/alarm-context.factory';
import { ALERTING_CONFIG, type AlertingConfig } from '../config/alerting.config';
import { renderMessage, type MessageOccasion, type RenderedMessage } from './notification-message.factory';
import { notifyTargetsFor } from './notification-targets.factory';
import type { Contact } from './outbox.types';
import { NOTIFICATION_PROVIDERS, type NotificationProvider, type ProviderId } from './providers/notification-provider.types';

interface Registry {
  enterpriseName: string;
  pointName: string | null;
  pointLocation: string | null;
}

interface Context {
  policy: EscalationPolicy;
  registry: Registry;
  contacts: Contact[];
}

/** The events that notify someone (the others write no outbox row). */
type NotifyingEvent = 'raised' | 'reactivated' | 'tier_changed' | 'escalated';
const NOTIFYING: ReadonlySet<AlarmEventName> = new Set<NotifyingEvent>(['raised', 'reactivated', 'tier_changed', 'escalated']);
const notifying = (event: AlarmEventName): event is NotifyingEvent => NOTIFYING.has(event);

/** Whether any of these events notifies someone (under a policy that names anyone for it). */
export const notifiesAnyone = (events: readonly { event: AlarmEventName }[]): boolean => events.some((e) => notifying(e.event));

/** A policy stored per region (`notification_policies`): whom each tier notifies; timing stays the global one. */
type RoutingOverride = Partial<Record<Tier, { notify?: NotifyTarget[]; steps?: { notify: NotifyTarget[] }[] }>>;

/**
 * Writes the notification outbox with the alarm events causing it: planned before the commit and
 * written by the transition's one statement (`AlarmStore.commit` with `plan`), or INSIDE the
 * transaction of the locking path (`AlarmStore`'s in-transaction hook). Either way the events and
 * their outbox rows commit together or not at all (docs/architecture.md, "nothing lost"). One row
 * per event, person and channel; its dedup key `alarmId:seq:recipient:channel` is UNIQUE, so a
 * replayed insert is a no-op. The row carries the rendered message and the providers to try in order (the channel's, then the other channel's as
 * fallback when the policy does not send that one anyway).
 */
@Injectable()
export class OutboxWriterService {
  constructor(
    @Inject(ALERTING_CONFIG) private readonly config: AlertingConfig,
    @Inject(ESCALATION_POLICY) private readonly policy: EscalationPolicy,
    @Inject(NOTIFICATION_PROVIDERS) private readonly providers: readonly NotificationProvider[],
  ) {
    if (providers.length === 0) new Logger(OutboxWriterService.name).warn('no notification provider is configured (ALIYUN_*, TENCENT_*, WECHAT_*, WECOM_*): notifications are off');
  }

  readonly hook: InTransaction = (em, events) => this.write(em, events);

  /** The rows `write` would write, planned before the events have their seqs: `AlarmStore.commit` writes them in the transition's one statement. */
  readonly plan: OutboxPlan = (em, events) => this.drafts(em, events);

  /** Whether `write` may have work for events like these (false: the transition needs no outbox rows at all). */
  readonly needed = (events: readonly { event: AlarmEventName }[]): boolean => this.providers.length > 0 && events.some((e) => notifying(e.event));

  async write(em: EntityManager, events: readonly CommittedEvent[]): Promise<void> {
    const drafts = await this.drafts(em, events);
    await this.insert(
      em,
      drafts.map((d) => {
        const e = events[d.event] as CommittedEvent;
        return values(`${e.alarm.id}:${e.seq}:${d.keySuffix}`, e.alarm.id, String(e.seq), 'event', d);
      }),
    );
  }

  /** One row per notifying event, person and channel, named by the event's index (the dedup key takes its seq when it is committed). */
  async drafts(em: EntityManager, events: readonly UnnumberedEvent[]): Promise<OutboxDraft[]> {
    if (this.providers.length === 0) return []; // notifications off (no provider configured): the console only
    const out: OutboxDraft[] = [];
    for (const [i, e] of events.entries()) {
      const occasion = e.event;
      if (!notifying(occasion)) continue;
      const context = await this.context(em, e.alarm, e.regionCode);
      const targets = notifyTargetsFor(e, context.policy);
      for (const row of this.rows(e, targets, occasion, context)) out.push({ ...row, event: i });
    }
    return out;
  }

  /**
   * Rows for a repeat of everyone notified so far (raise plus the escalation steps reached),
   * keyed by the repeat's due time so a restart cannot queue one twice.
   */
  async enqueueRepeat(em: EntityManager, e: Pick<CommittedEvent, 'alarm' | 'regionCode' | 'at'>, dueAt: number): Promise<void> {
    if (this.providers.length === 0) return;
    const context = await this.context(em, e.alarm, e.regionCode);
    const tier = context.policy.tiers[e.alarm.tier];
    const targets = [...tier.notify, ...tier.steps.slice(0, e.alarm.escalationLevel).flatMap((s) => s.notify)];
    const prefix = `${e.alarm.id}:repeat@${dueAt}`;
    await this.insert(em, this.rows(e, targets, 'repeat', context).map((d) => values(`${prefix}:${d.keySuffix}`, e.alarm.id, null, 'repeat', d)));
  }

  /** The global policy with the routing of the longest matching region prefix, if one is stored. */
  private policyWith(override: RoutingOverride | null): EscalationPolicy {
    if (!override) return this.policy;
    const tiers = { ...this.policy.tiers };
    for (const [name, routing] of Object.entries(override) as [Tier, RoutingOverride[Tier]][]) {
      const base = tiers[name];
      if (!base || !routing) continue;
      tiers[name] = {
        ...base,
        notify: routing.notify ?? base.notify,
        steps: base.steps.map((s, i) => ({ ...s, notify: routing.steps?.[i]?.notify ?? s.notify })),
      };
    }
    return { ...this.policy, tiers };
  }

  private rows(e: Pick<CommittedEvent, 'alarm' | 'at'>, targets: readonly NotifyTarget[], occasion: MessageOccasion, context: Context): Omit<OutboxDraft, 'event'>[] {
    const message = renderMessage(e.alarm, occasion, e.at, { ...context.registry, consoleBaseUrl: this.config.CONSOLE_BASE_URL });
    const rows: Omit<OutboxDraft, 'event'>[] = [];
    for (const target of targets) {
      const people = context.contacts.filter((c) => c.role === target.recipient);
      // nobody on file for the role: one row that records the failure on the timeline
      const list: Contact[] = people.length > 0 ? people : [{ role: target.recipient, ref: target.recipient, name: '', phone: null, wecomKey: null, wechatOpenid: null }];
      for (const person of list) {
        for (const channel of target.channels) rows.push(this.row(person, channel, target.channels, message));
      }
    }
    return rows;
  }

  private row(person: Contact, channel: Channel, all: readonly Channel[], m: RenderedMessage): Omit<OutboxDraft, 'event'> {
    const reaching = (c: Channel) => this.providers.filter((p) => p.channel === c && p.reaches(person)).map((p) => p.id);
    const fallback: ProviderId[] = (['sms', 'wechat'] as const).filter((c) => c !== channel && !all.includes(c)).flatMap(reaching);
    const providers = [...reaching(channel), ...fallback];
    const to = channel === 'sms' ? (person.phone ?? person.wechatOpenid ?? person.wecomKey) : (person.wechatOpenid ?? person.wecomKey ?? person.phone);
    const address = { name: person.name, phone: person.phone, wecomKey: person.wecomKey, wechatOpenid: person.wechatOpenid, to: to ?? person.ref, params: m.params, link: m.link };
    return { keySuffix: `${person.ref}:${channel}`, recipient: person.ref, channel, address, providers, title: m.title, body: m.body };
  }

  private async insert(em: EntityManager, rows: unknown[][]): Promise<void> {
    if (rows.length === 0) return;
    const columns = ['dedup_key', 'alarm_id', 'event_seq', 'kind', 'recipient', 'channel', 'address', 'providers', 'title', 'body'];
    const placeholders = rows.map((_, i) => `(${columns.map((__, j) => `$${i * columns.length + j + 1}`).join(', ')})`).join(', ');
    await em.query(`INSERT INTO notification_outbox (${columns.join(', ')}) VALUES ${placeholders} ON CONFLICT (dedup_key) DO NOTHING`, rows.flat());
  }

  /**
   * What the rows of an alarm's event are made of, in one round trip: the region's policy, the names
   * the message shows, and the people on file (the enterprise's contacts, the district's and the
   * city's duty officers).
   */
  private async context(em: EntityManager, alarm: Pick<AlarmSnapshot, 'enterpriseId' | 'pointId'>, regionCode: string): Promise<Context> {
    type ContactRow = { role: Recipient; ref: string; name: string; phone: string | null; wecom_key: string | null; wechat_openid: string | null };
    type Row = { policy: RoutingOverride | null; enterprise: string | null; point: string | null; location: string | null; contacts: ContactRow[] };
    const rows: Row[] = await em.query(
      `SELECT (SELECT policy FROM notification_policies WHERE $3 LIKE region_code || '%' ORDER BY length(region_code) DESC LIMIT 1) AS policy,
              (SELECT name FROM enterprises WHERE id = $1) AS enterprise, p.name AS point, p.location,
              (SELECT COALESCE(json_agg(c), '[]') FROM (
                 SELECT role, role AS ref, name, phone, wecom_key, wechat_openid FROM enterprise_contacts WHERE enterprise_id = $1
                 UNION ALL
                 SELECT CASE WHEN length(region_code) = 6 THEN 'district_duty_officer' ELSE 'city_duty_officer' END,
                        (CASE WHEN length(region_code) = 6 THEN 'district_duty_officer' ELSE 'city_duty_officer' END) || '#' || region_code || '.' || position,
                        name, phone, wecom_key, wechat_openid
                   FROM duty_officers WHERE region_code IN ($3, left($3, 4))) c) AS contacts
         FROM (SELECT 1) AS one LEFT JOIN points p ON p.id = $2`,
      [alarm.enterpriseId, alarm.pointId, regionCode],
    );
    const row = rows[0];
    return {
      policy: this.policyWith(row?.policy ?? null),
      registry: { enterpriseName: row?.enterprise ?? '未知企业', pointName: row?.point ?? null, pointLocation: row?.location ?? null },
      contacts: (row?.contacts ?? []).map((r) => ({ role: r.role, ref: r.ref, name: r.name, phone: r.phone, wecomKey: r.wecom_key, wechatOpenid: r.wechat_openid })),
    };
  }
}

/** A row's values in the order of `insert`'s columns. */
function values(dedupKey: string, alarmId: string, seq: string | null, kind: 'event' | 'repeat', d: Omit<OutboxDraft, 'event'>): unknown[] {
  return [dedupKey, alarmId, seq, kind, d.recipient, d.channel, JSON.stringify(d.address), d.providers, d.title, d.body];
}
