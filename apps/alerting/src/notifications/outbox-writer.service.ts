import { Inject, Injectable, Logger } from '@nestjs/common';
import type { CommittedEvent, InTransaction } from '@sw/persistence';
import type { AlarmEventName, Channel, EscalationPolicy, NotifyTarget, Recipient } from '@sw/rules';
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

/** The events that notify someone (the others write no outbox row). */
type NotifyingEvent = 'raised' | 'reactivated' | 'tier_changed' | 'escalated';
const NOTIFYING: ReadonlySet<AlarmEventName> = new Set<NotifyingEvent>(['raised', 'reactivated', 'tier_changed', 'escalated']);
const notifying = (event: AlarmEventName): event is NotifyingEvent => NOTIFYING.has(event);

/** Whether any of these events notifies someone (under a policy that names anyone for it). */
export const notifiesAnyone = (events: readonly { event: AlarmEventName }[]): boolean => events.some((e) => notifying(e.event));

/** A policy stored per region (`notification_policies`): whom each tier notifies; timing stays the global one. */
type RoutingOverride = Partial<Record<Tier, { notify?: NotifyTarget[]; steps?: { notify: NotifyTarget[] }[] }>>;

/**
 * Writes the notification outbox INSIDE the transaction that commits the alarm events causing it
 * (`AlarmStore`'s in-transaction hook): the events and their outbox rows commit together or not at
 * all (docs/architecture.md, "nothing lost"). One row per event, person and channel; its dedup key
 * `alarmId:seq:recipient:channel` is UNIQUE, so a replayed insert is a no-op. The row carries the
 * rendered message and the providers to try in order (the channel's, then the other channel's as
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

  /** Whether `write` may have work for events like these: false lets the transition commit in one statement (`AlarmStore.commit`). */
  readonly needed = (events: readonly { event: AlarmEventName }[]): boolean => this.providers.length > 0 && events.some((e) => notifying(e.event));

  async write(em: EntityManager, events: readonly CommittedEvent[]): Promise<void> {
    if (this.providers.length === 0) return; // notifications off (no provider configured): the console only
    for (const e of events) {
      const occasion = e.event;
      if (!notifying(occasion)) continue;
      const policy = await this.policyFor(em, e.regionCode);
      const targets = notifyTargetsFor(e, policy);
      if (targets.length === 0) continue;
      await this.enqueue(em, e, targets, occasion, `${e.alarm.id}:${e.seq}`, String(e.seq), 'event');
    }
  }

  /**
   * Rows for a repeat of everyone notified so far (raise plus the escalation steps reached),
   * keyed by the repeat's due time so a restart cannot queue one twice.
   */
  async enqueueRepeat(em: EntityManager, e: Pick<CommittedEvent, 'alarm' | 'regionCode' | 'at'>, dueAt: number): Promise<void> {
    if (this.providers.length === 0) return;
    const policy = await this.policyFor(em, e.regionCode);
    const tier = policy.tiers[e.alarm.tier];
    const targets = [...tier.notify, ...tier.steps.slice(0, e.alarm.escalationLevel).flatMap((s) => s.notify)];
    await this.enqueue(em, e, targets, 'repeat', `${e.alarm.id}:repeat@${dueAt}`, null, 'repeat');
  }

  /** The global policy with the routing of the longest matching region prefix, if one is stored. */
  async policyFor(em: EntityManager, regionCode: string): Promise<EscalationPolicy> {
    const rows: { policy: RoutingOverride }[] = await em.query(
      `SELECT policy FROM notification_policies WHERE $1 LIKE region_code || '%' ORDER BY length(region_code) DESC LIMIT 1`,
      [regionCode],
    );
    const override = rows[0]?.policy;
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

  private async enqueue(
    em: EntityManager,
    e: Pick<CommittedEvent, 'alarm' | 'regionCode' | 'at'>,
    targets: readonly NotifyTarget[],
    occasion: MessageOccasion,
    keyPrefix: string,
    seq: string | null,
    kind: 'event' | 'repeat',
  ): Promise<void> {
    const registry = await this.registry(em, e.alarm.enterpriseId, e.alarm.pointId);
    const message = renderMessage(e.alarm, occasion, e.at, { ...registry, consoleBaseUrl: this.config.CONSOLE_BASE_URL });
    const contacts = await this.contacts(em, e.alarm.enterpriseId, e.regionCode, new Set(targets.map((t) => t.recipient)));
    const rows: unknown[][] = [];
    for (const target of targets) {
      const people = contacts.filter((c) => c.role === target.recipient);
      // nobody on file for the role: one row that records the failure on the timeline
      const list: Contact[] = people.length > 0 ? people : [{ role: target.recipient, ref: target.recipient, name: '', phone: null, wecomKey: null, wechatOpenid: null }];
      for (const person of list) {
        for (const channel of target.channels) {
          rows.push(this.row(keyPrefix, seq, kind, e.alarm.id, person, channel, target.channels, message));
        }
      }
    }
    if (rows.length === 0) return;
    const columns = ['dedup_key', 'alarm_id', 'event_seq', 'kind', 'recipient', 'channel', 'address', 'providers', 'title', 'body'];
    const values = rows.map((_, i) => `(${columns.map((__, j) => `$${i * columns.length + j + 1}`).join(', ')})`).join(', ');
    await em.query(`INSERT INTO notification_outbox (${columns.join(', ')}) VALUES ${values} ON CONFLICT (dedup_key) DO NOTHING`, rows.flat());
  }

  private row(keyPrefix: string, seq: string | null, kind: string, alarmId: string, person: Contact, channel: Channel, all: readonly Channel[], m: RenderedMessage): unknown[] {
    const reaching = (c: Channel) => this.providers.filter((p) => p.channel === c && p.reaches(person)).map((p) => p.id);
    const fallback: ProviderId[] = (['sms', 'wechat'] as const).filter((c) => c !== channel && !all.includes(c)).flatMap(reaching);
    const providers = [...reaching(channel), ...fallback];
    const to = channel === 'sms' ? (person.phone ?? person.wechatOpenid ?? person.wecomKey) : (person.wechatOpenid ?? person.wecomKey ?? person.phone);
    const address = { name: person.name, phone: person.phone, wecomKey: person.wecomKey, wechatOpenid: person.wechatOpenid, to: to ?? person.ref, params: m.params, link: m.link };
    return [`${keyPrefix}:${person.ref}:${channel}`, alarmId, seq, kind, person.ref, channel, JSON.stringify(address), providers, m.title, m.body];
  }

  private async registry(em: EntityManager, enterpriseId: string, pointId: string | null): Promise<Registry> {
    const rows: { enterprise: string; point: string | null; location: string | null }[] = await em.query(
      `SELECT e.name AS enterprise, p.name AS point, p.location FROM enterprises e LEFT JOIN points p ON p.id = $2 WHERE e.id = $1`,
      [enterpriseId, pointId],
    );
    const row = rows[0];
    return { enterpriseName: row?.enterprise ?? '未知企业', pointName: row?.point ?? null, pointLocation: row?.location ?? null };
  }

  private async contacts(em: EntityManager, enterpriseId: string, regionCode: string, roles: ReadonlySet<Recipient>): Promise<Contact[]> {
    type Row = { role: Recipient; ref: string; name: string; phone: string | null; wecom_key: string | null; wechat_openid: string | null };
    const rows: Row[] = await em.query(
      `SELECT role, role AS ref, name, phone, wecom_key, wechat_openid FROM enterprise_contacts WHERE enterprise_id = $1
       UNION ALL
       SELECT CASE WHEN length(region_code) = 6 THEN 'district_duty_officer' ELSE 'city_duty_officer' END,
              (CASE WHEN length(region_code) = 6 THEN 'district_duty_officer' ELSE 'city_duty_officer' END) || '#' || region_code || '.' || position,
              name, phone, wecom_key, wechat_openid
         FROM duty_officers WHERE region_code IN ($2, left($2, 4))`,
      [enterpriseId, regionCode],
    );
    return rows
      .filter((r) => roles.has(r.role))
      .map((r) => ({ role: r.role, ref: r.ref, name: r.name, phone: r.phone, wecomKey: r.wecom_key, wechatOpenid: r.wechat_openid }));
  }
}
