import { Body, Controller, HttpCode, Logger, Post } from '@nestjs/common';
import { AlarmStore } from '@sw/persistence';
import { notified } from '@sw/rules';
import { TOPICS } from '@sw/sensors';
import { DataSource } from 'typeorm';
import { z } from 'zod';
import { BrokerService } from '../broker/broker.service';
import { recipientLabel } from './delivery-worker.service';
import type { OutboxRow } from './outbox.types';

/** Aliyun SmsReport HTTP batch push: a JSON array (CONTRACTS of Aliyun, see peer-systems.md §2.7). */
const receiptSchema = z.array(
  z.object({
    phone_number: z.string().optional(),
    success: z.union([z.boolean(), z.string()]),
    err_code: z.string().optional(),
    err_msg: z.string().optional(),
    biz_id: z.string().optional(),
    out_id: z.string().optional(),
    report_time: z.string().optional(),
  }),
);

class Duplicate extends Error {}

/**
 * `POST /notifications/receipts/aliyun`: delivery receipts. Each one for a message we sent
 * (`out_id` = the row's dedup key) becomes a `notified` event (`delivered`, or `failed` with the
 * vendor's code) on the alarm's timeline, once: receipts are not idempotent (Aliyun retries the
 * push), so `delivered_at` is set in the same transaction and a second receipt changes nothing.
 * Answers `{"code":0,"msg":"成功"}` as Aliyun expects (anything else makes it push again).
 */
@Controller('notifications/receipts')
export class ReceiptsController {
  private readonly logger = new Logger(ReceiptsController.name);

  constructor(
    private readonly ds: DataSource,
    private readonly store: AlarmStore,
    private readonly broker: BrokerService,
  ) {}

  @Post('aliyun')
  @HttpCode(200)
  async aliyun(@Body() body: unknown): Promise<{ code: number; msg: string }> {
    const parsed = receiptSchema.safeParse(body);
    if (!parsed.success) return { code: 1, msg: 'invalid body' };
    for (const r of parsed.data) {
      if (!r.out_id) continue;
      const delivered = r.success === true || r.success === 'true';
      await this.record(r.out_id, r.biz_id ?? null, delivered, delivered ? null : `${r.err_code ?? ''} ${r.err_msg ?? ''}`.trim());
    }
    return { code: 0, msg: '成功' };
  }

  private async record(key: string, bizId: string | null, delivered: boolean, reason: string | null): Promise<void> {
    const rows: Pick<OutboxRow, 'alarm_id' | 'recipient' | 'address'>[] = await this.ds.query(
      `SELECT alarm_id, recipient, address FROM notification_outbox WHERE dedup_key = $1 AND provider = 'aliyun-sms' AND delivered_at IS NULL`,
      [key],
    );
    const row = rows[0];
    if (!row) return;
    if (row.alarm_id === null) {
      // a hazard notice: the receipt is recorded on its row only
      if (delivered) await this.ds.query(`UPDATE notification_outbox SET delivered_at = now() WHERE dedup_key = $1 AND delivered_at IS NULL`, [key]);
      else await this.ds.query(`UPDATE notification_outbox SET last_error = $2 WHERE dedup_key = $1`, [key, reason]);
      return;
    }
    const alarmId = row.alarm_id;
    try {
      const outcome = await this.store.transition(
        { id: alarmId },
        '',
        (alarm) =>
          alarm
            ? notified(alarm, { at: Date.now(), channel: 'aliyun-sms', recipient: recipientLabel(row), outcome: delivered ? 'delivered' : 'failed', reason: reason ?? `receipt for ${bizId ?? key}` })
            : { ok: false, status: 409, code: 'alarm_closed', reason: 'the alarm no longer exists' },
        async (em) => {
          const updated: unknown[] = await em.query(
            `WITH u AS (UPDATE notification_outbox SET delivered_at = now() WHERE dedup_key = $1 AND delivered_at IS NULL RETURNING id) SELECT id FROM u`,
            [key],
          );
          if (updated.length !== 1) throw new Duplicate();
        },
      );
      if (outcome.ok) for (const e of outcome.events) this.broker.publish(TOPICS.events, JSON.stringify(e), () => undefined);
    } catch (err) {
      if (!(err instanceof Duplicate)) this.logger.warn(`receipt for ${key}: ${(err as Error).message}`);
    }
  }
}
