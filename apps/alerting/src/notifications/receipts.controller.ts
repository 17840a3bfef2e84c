import { createHash, timingSafeEqual } from 'node:crypto';
import { BlockList, isIPv4 } from 'node:net';
import { Body, Controller, ForbiddenException, HttpCode, Inject, Logger, NotFoundException, Param, Post, Req } from '@nestjs/common';
import { AlarmStore } from '@sw/persistence';
import { alarmNotFound, notified } from '@sw/rules';
import { TOPICS } from '@sw/sensors';
import type { Request } from 'express';
import { DataSource } from 'typeorm';
import { z } from 'zod';
import { BrokerService } from '../broker/broker.service';
import { ALERTING_CONFIG, type AlertingConfig } from '../config/alerting.config';
import { recipientLabel } from './delivery-worker.service';
import type { OutboxRow } from './outbox.types';

/** Aliyun SmsReport HTTP batch push: a JSON array (Aliyun’s documented SmsReport format). */
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

/** `1.2.3.0/24, ::1/128, 10.0.0.7` → a BlockList (used as an allow-list); throws on a malformed entry. */
export function receiptSources(cidrs: string): BlockList {
  const list = new BlockList();
  for (const entry of cidrs.split(',').map((c) => c.trim()).filter(Boolean)) {
    const [address = '', bits] = entry.split('/');
    const type = isIPv4(address) ? 'ipv4' : 'ipv6';
    const prefix = bits === undefined ? (type === 'ipv4' ? 32 : 128) : Number(bits);
    if (!Number.isInteger(prefix)) throw new Error(`SMS_RECEIPT_ALLOWED_CIDRS: ${entry} is not a CIDR`);
    list.addSubnet(address, prefix, type); // throws on a bad address or prefix
  }
  return list;
}

const sameSecret = (a: string, b: string) => timingSafeEqual(createHash('sha256').update(a).digest(), createHash('sha256').update(b).digest());

/**
 * `POST /notifications/receipts/aliyun/{SMS_RECEIPT_TOKEN}`: delivery receipts. Aliyun's SmsReport
 * HTTP batch push carries no signature (only its MNS queue mode is authenticated, and that is pulled,
 * not pushed), so the callback URL's secret path segment authenticates the push (compared in constant
 * time), optionally with an allow-list of source addresses (`SMS_RECEIPT_ALLOWED_CIDRS`); without a
 * configured token the endpoint answers 404 (issue 18: it accepted receipts from anyone).
 *
 * Each receipt for a message we sent (`out_id` = the row's dedup key) becomes a `notified` event (`delivered`, or `failed` with the
 * vendor's code) on the alarm's timeline, once: receipts are not idempotent (Aliyun retries the
 * push), so `delivered_at` is set in the same transaction and a second receipt changes nothing.
 * Answers `{"code":0,"msg":"成功"}` as Aliyun expects (anything else makes it push again).
 */
@Controller('notifications/receipts')
export class ReceiptsController {
  private readonly logger = new Logger(ReceiptsController.name);
  private readonly sources: BlockList | null;

  constructor(
    private readonly ds: DataSource,
    private readonly store: AlarmStore,
    private readonly broker: BrokerService,
    @Inject(ALERTING_CONFIG) private readonly config: AlertingConfig,
  ) {
    this.sources = config.SMS_RECEIPT_ALLOWED_CIDRS ? receiptSources(config.SMS_RECEIPT_ALLOWED_CIDRS) : null;
  }

  @Post('aliyun/:token')
  @HttpCode(200)
  async aliyun(@Param('token') token: string, @Req() req: Request, @Body() body: unknown): Promise<{ code: number; msg: string }> {
    const expected = this.config.SMS_RECEIPT_TOKEN;
    if (!expected) throw new NotFoundException('receipts are not enabled (SMS_RECEIPT_TOKEN)');
    if (!sameSecret(token, expected)) throw new ForbiddenException('not a receipt callback of this deployment');
    const peer = (req.socket.remoteAddress ?? '').replace(/^::ffff:(?=\d+\.)/, '');
    if (this.sources && !this.sources.check(peer, isIPv4(peer) ? 'ipv4' : 'ipv6')) throw new ForbiddenException('source address not allowed for receipts');
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
            : alarmNotFound(alarmId),
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
