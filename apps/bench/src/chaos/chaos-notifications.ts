import { createHash } from 'node:crypto';
import { DEFAULT_ESCALATION_POLICY, type Channel, type Recipient } from '@sw/rules';
import type { Tier } from '@sw/sensors';
import { AliyunSmsServer, type VendorServer, vendorEnv, WechatMpServer } from '@sw/testing';
import { sql } from './chaos-audit';

/** Expected vs delivered notifications of one fault window, as a person would count them. */
export interface NotificationAudit {
  /** one per committed raise/reactivation × recipient × channel of the policy */
  expected: number;
  /** of those, accepted by the vendor at least once */
  delivered: number;
  missing: number;
  /**
   * messages a person got twice: SMS requests beyond the first for one message (Aliyun's `OutId` and
   * Tencent's `SessionContext` are echoed, not deduplicated); WeChat drops a repeated `client_msg_id`
   * (for 10 minutes), so a WeChat resend counts under `resent` only
   */
  duplicated: number;
  /** requests beyond the first for one message, either channel (a resend after a crash or a lost commit) */
  resent: number;
  /** per `recipient:channel` */
  by: Record<string, { expected: number; delivered: number; missing: number; resent: number }>;
  /** missing messages (dedup keys), at most 20, for the JSON */
  missingKeys: string[];
}

interface Contact {
  role: Recipient;
  /** the outbox's `recipient` (the role, or `district_duty_officer#region.position`) */
  ref: string;
  name: string;
  phone: string | null;
  wechatOpenid: string | null;
}

/** One expected message: the outbox dedup key `alarmId:seq:recipient:channel` (OutboxWriterService). */
interface Expected {
  key: string;
  recipient: string;
  channel: Channel;
}

/**
 * Local SMS (Aliyun `SendSms`) and WeChat (Official Account template message) servers that alerting's
 * providers send to, contacts for the incident enterprise, and the audit: for every raise or
 * reactivation committed on the incident points, the policy's recipients and channels
 * (DEFAULT_ESCALATION_POLICY) give the messages a person should get, each known to the vendor by
 * its dedup key (SMS `OutId`, WeChat `client_msg_id`).
 */
export class NotificationServers {
  readonly sms = new AliyunSmsServer('LTAI-chaos-key', 'chaos-aliyun-secret');
  readonly wechat = new WechatMpServer('wx-chaos-app', 'chaos-wechat-secret');
  private contacts: Contact[] = [];

  async start(): Promise<void> {
    await Promise.all([this.sms.start(), this.wechat.start()]);
  }

  async stop(): Promise<void> {
    await Promise.all([this.sms.stop(), this.wechat.stop()]);
  }

  /**
   * alerting's provider settings, and a per-recipient rate limit high enough that every notification
   * goes as its own message (over the limit they would be folded into digests, which a vendor counts once).
   */
  env(): Record<string, string> {
    return {
      ...vendorEnv({ aliyun: this.sms, wechat: this.wechat }),
      NOTIFY_RATE_LIMIT: '1000',
      NOTIFY_RATE_WINDOW_S: '1',
      NOTIFY_POLL_MS: '100',
      // a row a killed instance had claimed is sent again after the lease (default 30 s)
      NOTIFY_LEASE_MS: '10000',
    };
  }

  /** The incident enterprise's safety officer and principal, and its district's one duty officer (the suite's own database). */
  async seedContacts(databaseUrl: string, enterpriseId: string): Promise<void> {
    const [row] = await sql<{ region_code: string }>(databaseUrl, `SELECT region_code FROM enterprises WHERE id = $1`, [enterpriseId]);
    const region = row?.region_code as string;
    await sql(databaseUrl, `DELETE FROM enterprise_contacts WHERE enterprise_id = $1`, [enterpriseId]);
    await sql(databaseUrl, `DELETE FROM duty_officers WHERE region_code IN ($1, left($1, 4))`, [region]);
    this.contacts = [
      { role: 'safety_officer', ref: 'safety_officer', name: '安全员', phone: '13900000001', wechatOpenid: 'open-chaos-safety' },
      { role: 'principal', ref: 'principal', name: '负责人', phone: '13800000001', wechatOpenid: 'open-chaos-principal' },
      { role: 'district_duty_officer', ref: `district_duty_officer#${region}.0`, name: '区值班员', phone: '13700000001', wechatOpenid: null },
      { role: 'city_duty_officer', ref: `city_duty_officer#${region.slice(0, 4)}.0`, name: '市值班员', phone: '13600000001', wechatOpenid: null },
    ];
    for (const c of this.contacts.slice(0, 2)) {
      await sql(databaseUrl, `INSERT INTO enterprise_contacts (enterprise_id, role, name, phone, wechat_openid) VALUES ($1, $2, $3, $4, $5)`, [enterpriseId, c.role, c.name, c.phone, c.wechatOpenid]);
    }
    await sql(databaseUrl, `INSERT INTO duty_officers (region_code, position, name, phone) VALUES ($1, 0, $2, $3), (left($1, 4), 0, $4, $5)`, [region, '区值班员', '13700000001', '市值班员', '13600000001']);
  }

  /** The messages the raises and reactivations committed on `pointIds` after `afterSeq` call for. */
  async expected(databaseUrl: string, pointIds: string[], afterSeq: number): Promise<Expected[]> {
    const rows = await sql<{ alarm_id: string; seq: string; tier: Tier; muted: boolean }>(
      databaseUrl,
      `SELECT e.alarm_id, e.seq::text AS seq, e.snapshot->>'tier' AS tier,
              (e.snapshot->>'shelvedUntil' IS NOT NULL OR coalesce((e.snapshot->>'suppressed')::boolean, false)) AS muted
         FROM alarm_events e JOIN alarms a ON a.id = e.alarm_id
        WHERE a.point_id = ANY($1::uuid[]) AND e.seq > $2 AND e.event IN ('raised', 'reactivated') ORDER BY e.seq`,
      [pointIds, afterSeq],
    );
    const out: Expected[] = [];
    for (const r of rows) {
      if (r.muted) continue;
      for (const target of DEFAULT_ESCALATION_POLICY.tiers[r.tier]?.notify ?? []) {
        for (const person of this.contacts.filter((c) => c.role === target.recipient)) {
          for (const channel of target.channels) out.push({ key: `${r.alarm_id}:${r.seq}:${person.ref}:${channel}`, recipient: person.ref.split('#')[0] as string, channel });
        }
      }
    }
    return out;
  }

  /** Counts `expected` at the vendors now. */
  count(expected: Expected[]): NotificationAudit {
    const requests = new Map<string, number>();
    const tally = (server: VendorServer, channel: Channel) => {
      for (const d of server.accepted) requests.set(`${channel}|${d.key}`, (requests.get(`${channel}|${d.key}`) ?? 0) + 1);
    };
    tally(this.sms, 'sms');
    tally(this.wechat, 'wechat');
    const out: NotificationAudit = { expected: expected.length, delivered: 0, missing: 0, duplicated: 0, resent: 0, by: {}, missingKeys: [] };
    for (const e of expected) {
      const n = requests.get(`${e.channel}|${e.channel === 'wechat' ? wechatMsgId(e.key) : e.key}`) ?? 0;
      const by = (out.by[`${e.recipient}:${e.channel}`] ??= { expected: 0, delivered: 0, missing: 0, resent: 0 });
      by.expected++;
      if (n > 0) {
        out.delivered++;
        by.delivered++;
      } else {
        out.missing++;
        by.missing++;
        if (out.missingKeys.length < 20) out.missingKeys.push(e.key);
      }
      const again = Math.max(0, n - 1);
      out.resent += again;
      by.resent += again;
      if (e.channel === 'sms') out.duplicated += again;
    }
    return out;
  }
}

/** As alerting's WeChat provider sends a dedup key as `client_msg_id` (at most 64 characters, else its SHA-256). */
function wechatMsgId(key: string): string {
  return key.length <= 64 ? key : createHash('sha256').update(key).digest('hex');
}
