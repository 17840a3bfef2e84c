/**
 * NotificationOutboxRepository against real PostgreSQL (own database, migrations): claims take due,
 * unleased rows under a lease with SKIP LOCKED; every change of a claimed row is guarded by its
 * lease (a holder whose lease was taken over changes nothing); rate-limit counting, digests, and
 * receipts that mark a row delivered once (docs/architecture.md "Notifications").
 */
import { reportHazard, type HazardActor } from '@sw/hazards';
import { createTestDatabase, testUscc, type TestDatabase } from '@sw/testing';
import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { createDataSource } from '../data-source.factory';
import { HazardStore } from '../hazards/hazard-store';
import { RegistryService } from '../registry/registry.service';
import { NotificationOutboxRepository, type OutboxRow } from './notification-outbox.repository';

const LEASE_MS = 30_000;

describe(NotificationOutboxRepository.name, () => {
  let db: TestDatabase;
  let ds: DataSource;
  let sut: NotificationOutboxRepository;
  let hazardId: string;
  let n = 0;

  beforeAll(async () => {
    db = await createTestDatabase('notification_outbox_repo');
    ds = await createDataSource({ url: db.url, poolSize: 5 }).initialize();
    sut = new NotificationOutboxRepository(ds);
    const enterpriseId = (await new RegistryService(ds).createEnterprise({ name: '外发测试', uscc: testUscc(903), regionCode: '320505', riskCategories: ['metal_dust'] })).id;
    const ent: HazardActor = { id: '00000000-0000-4000-8000-0000000000e1', username: 'ent', role: 'enterprise', enterpriseId };
    hazardId = '00000000-0000-4000-b000-000000000903';
    const r = reportHazard({ id: hazardId, enterpriseId, regionCode: '320505', source: 'self_check', article: 11, item: 3, categories: ['metal_dust'], description: '无泄爆' }, ent, '2026-12-01T00:00:00.000Z');
    if (!(await new HazardStore(ds).create(r, { ip: null, userAgent: 'outbox-spec' })).ok) throw new Error('create hazard');
  });

  afterAll(async () => {
    await ds?.destroy();
    await db?.drop();
  });

  beforeEach(async () => {
    await ds.query(`DELETE FROM notification_outbox`);
  });

  /** Inserts a row for the hazard; answers its dedup key. */
  async function row(over: { to?: string; kind?: string; status?: string; dueInMs?: number; digest?: boolean; provider?: string; sentAgoS?: number } = {}): Promise<string> {
    const key = `spec:${++n}`;
    const address = { name: '负责人', phone: '13800000001', wecomKey: null, wechatOpenid: null, to: over.to ?? '13800000001', params: {}, link: '/#/hazards/x' };
    await ds.query(
      `INSERT INTO notification_outbox (dedup_key, hazard_id, kind, recipient, channel, address, providers, title, body, status, next_attempt_at, digest, provider, sent_at)
       VALUES ($1, $2, $3, 'principal', 'sms', $4, '{aliyun-sms,tencent-sms}', $5, 'body', $6, now() + $7 * interval '1 millisecond', $8, $9,
               CASE WHEN $10::int IS NULL THEN NULL ELSE now() - $10::int * interval '1 second' END)`,
      [key, hazardId, over.kind ?? 'hazard_confirmed', JSON.stringify(address), `title ${n}`, over.status ?? 'pending', over.dueInMs ?? -1000, over.digest ?? false, over.provider ?? null, over.sentAgoS ?? null],
    );
    return key;
  }

  const stored = async (key: string) =>
    ((await ds.query(`SELECT *, next_attempt_at > now() AS later FROM notification_outbox WHERE dedup_key = $1`, [key])) as (OutboxRow & Record<string, unknown>)[])[0];

  it('claims due, unleased pending rows oldest first, up to the limit, under a lease that counts an attempt', async () => {
    const [a, b, c] = [await row({ dueInMs: -3000 }), await row({ dueInMs: -2000 }), await row({ dueInMs: -1000 })];
    await row({ dueInMs: 60_000 }); // not due
    await row({ status: 'sent' });
    const lease = randomUUID();
    const claimed = await sut.claimDue(lease, LEASE_MS, 2);
    expect(claimed.map((r) => r.dedup_key)).toEqual([a, b]);
    expect(claimed.every((r) => r.lease_id === lease && r.attempts === 1)).toBe(true);
    // leased rows are not claimed again while the lease holds
    expect((await sut.claimDue(randomUUID(), LEASE_MS, 10)).map((r) => r.dedup_key)).toEqual([c]);
    expect(await sut.claimDue(randomUUID(), LEASE_MS, 10)).toEqual([]);
    // an expired lease (its holder crashed): the row is claimed again, a second attempt
    await ds.query(`UPDATE notification_outbox SET lease_until = now() - interval '1 second' WHERE dedup_key = $1`, [a]);
    const again = await sut.claimDue(randomUUID(), LEASE_MS, 10);
    expect(again.map((r) => [r.dedup_key, r.attempts])).toEqual([[a, 2]]);
  });

  it('records an outcome only under the current lease: a holder whose lease was taken over changes nothing', async () => {
    const key = await row();
    const [first] = await sut.claimDue(randomUUID(), LEASE_MS, 1);
    await ds.query(`UPDATE notification_outbox SET lease_until = now() - interval '1 second' WHERE dedup_key = $1`, [key]);
    const [second] = await sut.claimDue(randomUUID(), LEASE_MS, 1);
    if (!first || !second) throw new Error('claim');
    expect(await sut.record(first, { kind: 'sent', provider: 'aliyun-sms', messageId: 'stale', reason: null })).toBe(false);
    expect(await stored(key)).toMatchObject({ status: 'pending', lease_id: second.lease_id });
    expect(await sut.record(second, { kind: 'sent', provider: 'aliyun-sms', messageId: 'biz-1', reason: null })).toBe(true);
    expect(await stored(key)).toMatchObject({ status: 'sent', provider: 'aliyun-sms', provider_message_id: 'biz-1', lease_id: null, lease_until: null, last_error: null });
    expect((await stored(key))?.['sent_at']).toBeInstanceOf(Date);
  });

  it('records retries (counted or not), fallback, failure and cancellation as the row\'s next state', async () => {
    const keys = [await row(), await row(), await row(), await row(), await row()];
    const rows = await sut.claimDue(randomUUID(), LEASE_MS, 10);
    const [retry, wait, fallback, failed, cancelled] = rows;
    if (!retry || !wait || !fallback || !failed || !cancelled) throw new Error('claim');
    await sut.record(retry, { kind: 'retry', provider: 'aliyun-sms', reason: 'timeout', delayMs: 60_000, countsAttempt: true });
    await sut.record(wait, { kind: 'retry', provider: 'aliyun-sms', reason: 'throttled', delayMs: 60_000, countsAttempt: false });
    await sut.record(fallback, { kind: 'fallback', provider: 'aliyun-sms', reason: 'bad sign' });
    await sut.record(failed, { kind: 'failed', provider: 'tencent-sms', reason: 'no such number' });
    await sut.record(cancelled, { kind: 'cancelled', reason: 'hazard deleted' });
    const [r, w, f, x, c] = await Promise.all(keys.map(stored));
    expect(r).toMatchObject({ status: 'pending', step: 0, step_attempts: 1, later: true, last_error: 'timeout', lease_id: null });
    expect(w).toMatchObject({ status: 'pending', step_attempts: 0, later: true, last_error: 'throttled' });
    expect(f).toMatchObject({ status: 'pending', step: 1, step_attempts: 0, later: false, last_error: 'bad sign' });
    expect(x).toMatchObject({ status: 'failed', last_error: 'no such number' });
    expect(c).toMatchObject({ status: 'cancelled', last_error: 'hazard deleted' });
    // the retry and the wait are due later; the fallback at once
    expect((await sut.claimDue(randomUUID(), LEASE_MS, 10)).map((d) => d.dedup_key)).toEqual([keys[2]]);
  });

  it('records inside the caller\'s transaction: rolled back with it', async () => {
    const key = await row();
    const [claimed] = await sut.claimDue(randomUUID(), LEASE_MS, 1);
    if (!claimed) throw new Error('claim');
    await expect(
      ds.transaction(async (em) => {
        expect(await sut.record(claimed, { kind: 'sent', provider: 'aliyun-sms', messageId: 'm', reason: null }, em)).toBe(true);
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(await stored(key)).toMatchObject({ status: 'pending', lease_id: claimed.lease_id });
  });

  it('counts recent sends per address and channel; defers a row as a digest; a digest takes the waiting rows of its address along', async () => {
    await row({ status: 'sent', sentAgoS: 10 });
    await row({ status: 'sent', sentAgoS: 5 });
    await row({ status: 'sent', sentAgoS: 3600 }); // outside the window
    await row({ status: 'sent', sentAgoS: 1, to: '13900000009' }); // another address
    const key = await row();
    const [claimed] = await sut.claimDue(randomUUID(), LEASE_MS, 1);
    if (!claimed) throw new Error('claim');
    const sends = await sut.recentSends(claimed, 600);
    expect(sends.count).toBe(2);
    expect(Date.now() - (sends.oldest?.getTime() ?? 0)).toBeGreaterThanOrEqual(9_000);

    const until = new Date(Date.now() + 60_000);
    await sut.deferAsDigest(claimed, until);
    expect(await stored(key)).toMatchObject({ digest: true, lease_id: null, lease_until: null, later: true });

    const waiting = [await row({ digest: true }), await row({ digest: true })];
    await row({ digest: true, kind: 'hazard_overdue' }); // goes on its own turn, past the sign-off check
    await row({ digest: true, to: '13900000009' });
    await ds.query(`UPDATE notification_outbox SET next_attempt_at = now() - interval '1 hour' WHERE dedup_key = $1`, [key]); // the window has passed
    const [head] = await sut.claimDue(randomUUID(), LEASE_MS, 1);
    if (!head) throw new Error('claim');
    expect(head.dedup_key).toBe(key);
    const digest = await sut.claimDigest(head, LEASE_MS);
    expect(digest.map((d) => d.dedup_key)).toEqual(waiting);
    expect(digest.every((d) => d.lease_id === head.lease_id)).toBe(true);
    // not sent after all: the taken rows are given back, due at once
    for (const d of digest) await sut.release(d);
    expect(await stored(waiting[0] ?? '')).toMatchObject({ lease_id: null, lease_until: null, status: 'pending' });
  });

  it('keeps providers chosen for a row under its lease, and reads the hazard\'s status', async () => {
    const key = await row();
    const [claimed] = await sut.claimDue(randomUUID(), LEASE_MS, 1);
    if (!claimed) throw new Error('claim');
    await sut.setProviders({ ...claimed, lease_id: randomUUID() }, ['wecom']); // not our lease: ignored
    expect((await stored(key))?.providers).toEqual(['aliyun-sms', 'tencent-sms']);
    await sut.setProviders(claimed, ['wecom']);
    expect((await stored(key))?.providers).toEqual(['wecom']);
    expect(await sut.hazardStatus(hazardId)).toBe('reported');
    expect(await sut.hazardStatus('00000000-0000-4000-b000-000000000000')).toBeNull();
  });

  it('receipts: finds the undelivered row of the provider, marks it delivered once, records a failure\'s reason', async () => {
    const key = await row({ status: 'sent', provider: 'aliyun-sms', sentAgoS: 1 });
    expect(await sut.forReceipt(key, 'tencent-sms')).toBeNull();
    expect(await sut.forReceipt(key, 'aliyun-sms')).toMatchObject({ alarm_id: null, recipient: 'principal', address: { name: '负责人' } });
    expect(await sut.markDelivered(key)).toBe(true);
    expect(await sut.markDelivered(key)).toBe(false); // the vendor pushed again
    expect(await sut.forReceipt(key, 'aliyun-sms')).toBeNull();
    const other = await row({ status: 'sent', provider: 'aliyun-sms', sentAgoS: 1 });
    await sut.recordReceiptFailure(other, 'DELIVRD_FAIL 空号');
    expect(await stored(other)).toMatchObject({ last_error: 'DELIVRD_FAIL 空号', delivered_at: null });
  });
});
