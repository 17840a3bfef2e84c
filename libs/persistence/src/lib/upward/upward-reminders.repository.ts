import type { DataSource, EntityManager } from 'typeorm';
import { shanghaiToday } from '../registry/registry.service';
import { upwardDueOn } from './upward-calendar';

/** A reminder goes out on both channels; the delivery worker picks each row's providers. */
const CHANNELS = ['sms', 'wechat'] as const;

type OfficerRow = { region_code: string; position: number; name: string; phone: string | null; wecom_key: string | null; wechat_openid: string | null };

/**
 * The due-day reminders of upward reporting (docs/domain.md "The closed loop", Upward): within the
 * 10 days before 4 June and 4 December, each region with duty officers gets one reminder per due
 * day — an `upward_reminders` row (UNIQUE region and due day) and its notices in
 * `notification_outbox` (kind `upward_reminder`, one per officer and channel, deduplicated by key),
 * written in one transaction, so a second sweep or a second instance sends nothing again.
 */
export class UpwardRemindersRepository {
  constructor(private readonly ds: DataSource) {}

  /**
   * One sweep under the transaction-scoped advisory lock `lockKey`; `clock` is read once the lock is
   * held. Answers the regions reminded now, or null when another instance holds the lock.
   */
  async sweep(clock: () => number, lockKey: number): Promise<string[] | null> {
    return this.ds.transaction(async (em) => {
      const [lock] = (await em.query(`SELECT pg_try_advisory_xact_lock($1) AS ok`, [lockKey])) as [{ ok: boolean }];
      if (!lock.ok) return null;
      const due = upwardDueOn(shanghaiToday(new Date(clock())));
      if (!due) return [];
      const officers: OfficerRow[] = await em.query(`SELECT region_code, position, name, phone, wecom_key, wechat_openid FROM duty_officers ORDER BY region_code, position`);
      const regions = [...new Set(officers.map((o) => o.region_code))];
      const reminded: string[] = [];
      for (const region of regions) {
        const inserted = (await em.query(`INSERT INTO upward_reminders (region_code, due_date) VALUES ($1, $2) ON CONFLICT DO NOTHING RETURNING id`, [region, due.dueDate])) as { id: string }[];
        const id = inserted[0]?.id;
        if (id === undefined) continue;
        await this.enqueue(em, id, region, due.dueDate, due.daysLeft, officers.filter((o) => o.region_code === region));
        reminded.push(region);
      }
      return reminded;
    });
  }

  /** The reminders sent to a region (newest first). */
  async sent(regionCode: string): Promise<{ dueDate: string; createdAt: string }[]> {
    const rows: { due_date: string; created_at: Date }[] = await this.ds.query(
      `SELECT to_char(due_date, 'YYYY-MM-DD') AS due_date, created_at FROM upward_reminders WHERE region_code = $1 ORDER BY due_date DESC`,
      [regionCode],
    );
    return rows.map((r) => ({ dueDate: r.due_date, createdAt: r.created_at.toISOString() }));
  }

  private async enqueue(em: EntityManager, reminderId: string, region: string, dueDate: string, daysLeft: number, officers: OfficerRow[]): Promise<void> {
    const title = `【上报提醒】${dueDate} 前报送半年台账和工作总结`;
    const body = [`区域：${region}`, `报送截止：${dueDate}（还有 ${daysLeft} 天）`, '请在控制台“上报”页冻结并报送企业台账，完成半年工作总结并定稿。'].join('\n');
    const params = { enterprise: `区域 ${region}`, point: '半年台账和工作总结', value: `截止 ${dueDate}`, tier: '上报提醒', time: dueDate };
    const rows = officers.flatMap((o) =>
      CHANNELS.map((channel) => {
        const to = channel === 'sms' ? (o.phone ?? o.wechat_openid ?? o.wecom_key) : (o.wechat_openid ?? o.wecom_key ?? o.phone);
        const ref = `duty_officer#${o.region_code}.${o.position}`;
        const address = { name: o.name, phone: o.phone, wecomKey: o.wecom_key, wechatOpenid: o.wechat_openid, to: to ?? ref, params, link: '/upward' };
        return [`upward:${region}:${dueDate}:${ref}:${channel}`, reminderId, 'upward_reminder', ref, channel, JSON.stringify(address), [], title, body];
      }),
    );
    if (rows.length === 0) return;
    const columns = ['dedup_key', 'reminder_id', 'kind', 'recipient', 'channel', 'address', 'providers', 'title', 'body'];
    const values = rows.map((_, i) => `(${columns.map((__, j) => `$${i * columns.length + j + 1}`).join(', ')})`).join(', ');
    await em.query(`INSERT INTO notification_outbox (${columns.join(', ')}) VALUES ${values} ON CONFLICT (dedup_key) DO NOTHING`, rows.flat());
  }
}
