/**
 * AlarmStore.commit, alerting's one-statement transition, against real PostgreSQL: it commits what
 * the known snapshot gives only while the stored alarm is still that one (else it judges again under
 * the row lock), stores the rule state, the planned notification outbox rows and NOTIFYs with the
 * events, and writes nothing when the advisory-lock fence is not held by the named backend. The
 * outbox plan and hook are a stand-in of alerting's writer (two rows per raise or rise in tier).
 */
import { ack, applyConditionChange, initialState, type AlarmContext, type AlarmSnapshot, type RuleDefinition } from '@sw/rules';
import { createTestDatabase, testUscc, type TestDatabase } from '@sw/testing';
import { Client } from 'pg';
import type { DataSource } from 'typeorm';
import { createDataSource } from '../data-source.factory';
import { RegistryService } from '../registry/registry.service';
import { RuleStateRepository } from '../evaluation/rule-state.repository';
import { ALARM_EVENTS_CHANNEL, AlarmStore, type AdvisoryFence, type InTransaction, type OutboxDraft, type OutboxPlan, type UnnumberedEvent } from './alarm-store';

const LOCK_CLASS = 4242;
const OPERATOR = { id: '00000000-0000-4000-8000-0000000000f1', username: 'duty', role: 'regulator' };

describe('AlarmStore.commit', () => {
  let db: TestDatabase;
  let ds: DataSource;
  let sut: AlarmStore;
  let holder: Client;
  let listener: Client;
  let holderPid: number;
  let enterpriseId: string;
  const notices: string[] = [];

  beforeAll(async () => {
    db = await createTestDatabase('alarm_commit');
    ds = await createDataSource({ url: db.url, poolSize: 4 }).initialize();
    sut = new AlarmStore(ds, undefined, { notify: true });
    enterpriseId = (await new RegistryService(ds).createEnterprise({ name: '提交测试', uscc: testUscc(802), regionCode: '320505', riskCategories: ['steel'] })).id;
    holder = new Client({ connectionString: db.url });
    await holder.connect();
    holderPid = (await holder.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]!.pid;
    await holder.query('SELECT pg_advisory_lock($1, 1)', [LOCK_CLASS]);
    listener = new Client({ connectionString: db.url });
    await listener.connect();
    listener.on('notification', (n) => notices.push(n.payload ?? ''));
    await listener.query(`LISTEN ${ALARM_EVENTS_CHANNEL}`);
  });

  afterAll(async () => {
    await holder?.end();
    await listener?.end();
    await ds?.destroy();
    await db?.drop();
  });

  const fence = (pid: number | null, key = 1): AdvisoryFence => ({ lockClass: LOCK_CLASS, lockKey: key, holderPid: pid, refused: () => new Error(`fenced ${key}`) });
  const ctx = (i: number): AlarmContext => ({
    newAlarmId: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
    enterpriseId,
    gatewayId: '00000000-0000-4000-8000-0000000000a1',
    pointId: `00000000-0000-4000-9000-${String(i).padStart(12, '0')}`,
    pointCode: `P-${i}`,
    ruleId: `rule-${i}`,
    kind: 'threshold',
    unit: 'ppm',
    enterpriseName: '提交测试',
    pointName: `P-${i}`,
  });
  const key = (i: number) => ({ ruleId: `rule-${i}`, subject: ctx(i).pointId as string });
  const start = (i: number, tier: 'yellow' | 'red') => (current: AlarmSnapshot | null) => applyConditionChange(current, { kind: 'start', tier, value: 30, at: Date.now() }, ctx(i));
  const rule = { kind: 'threshold', pointId: ctx(1).pointId, thresholds: {} } as unknown as RuleDefinition;

  it('raises a known-absent alarm in one statement, with its rule state and its NOTIFY (seq and region from the statement)', async () => {
    const state = { pointId: ctx(1).pointId as string, ruleId: 'rule-1', state: initialState(rule, 1000) };
    const out = await sut.commit({ key: key(1), regionCode: '320505', fn: start(1, 'yellow'), fence: fence(holderPid), state, known: null });
    expect(out).toMatchObject({ ok: true, events: [{ seq: 1, event: 'raised', regionCode: '320505' }], alarm: { seq: 1, tier: 'yellow' } });
    expect(await sut.head()).toBe(1);
    expect(await new RuleStateRepository(ds).load([ctx(1).pointId as string])).toEqual([{ pointId: ctx(1).pointId, ruleId: 'rule-1', state: state.state }]);
    await new Promise((r) => setTimeout(r, 200));
    expect(notices.map((n) => JSON.parse(n) as { seq: number; regionCode: string; alarm: { seq: number } })).toEqual([expect.objectContaining({ seq: 1, regionCode: '320505', alarm: expect.objectContaining({ seq: 1 }) })]);
  });

  it('judges again on the stored alarm when the known snapshot is stale (an operator acknowledged it meanwhile)', async () => {
    const raised = (await sut.get((await sut.notClosed())[0]!.id))!.alarm;
    const acked = await sut.transition({ id: raised.id }, '320505', (a) => ack(a as AlarmSnapshot, { at: Date.now(), actor: OPERATOR }));
    expect(acked).toMatchObject({ ok: true, events: [{ seq: 2, event: 'acknowledged' }] });
    const end = (current: AlarmSnapshot | null) => applyConditionChange(current, { kind: 'end', tier: 'yellow', value: 1, at: Date.now() }, ctx(1));
    const out = await sut.commit({ key: key(1), regionCode: '320505', fn: end, fence: fence(holderPid), known: raised });
    // judged on the stored (acknowledged) alarm: a clear keeps the acknowledgement; on the stale one it would be false
    expect(out).toMatchObject({ ok: true, events: [{ seq: 3, event: 'cleared' }], alarm: { seq: 3, condition: 'cleared', acknowledged: true } });
    // with the fresh snapshot: one statement again, and the stored row follows
    const fresh = (out as { alarm: AlarmSnapshot }).alarm;
    const again = await sut.commit({ key: key(1), regionCode: '320505', fn: start(1, 'red'), fence: fence(holderPid), known: fresh });
    expect(again).toMatchObject({ ok: true, events: [{ seq: 4, event: 'reactivated' }], alarm: { seq: 4, condition: 'active', tier: 'red' } });
    expect((await sut.get(fresh.id))!.alarm).toEqual((again as { alarm: AlarmSnapshot }).alarm);
  });

  it('judges again when an alarm it did not know of is open for the key', async () => {
    const out = await sut.commit({ key: key(1), regionCode: '320505', fn: start(1, 'yellow'), known: null }); // it is active (red)
    expect(out).toMatchObject({ ok: true, events: [{ seq: 5, event: 'tier_changed' }], alarm: { tier: 'yellow' } });
    expect((await sut.notClosed()).filter((a) => a.ruleId === 'rule-1')).toHaveLength(1);
  });

  it('writes nothing when the fence is not held by that backend, or not held at all', async () => {
    const head = await sut.head();
    await expect(sut.commit({ key: key(2), regionCode: '320505', fn: start(2, 'yellow'), fence: fence(holderPid + 1), known: null })).rejects.toThrow('fenced 1');
    await expect(sut.commit({ key: key(2), regionCode: '320505', fn: start(2, 'yellow'), fence: fence(holderPid, 2), known: null })).rejects.toThrow('fenced 2');
    await expect(sut.commit({ key: key(2), regionCode: '320505', fn: start(2, 'yellow'), fence: fence(null), known: undefined })).rejects.toThrow('fenced 1');
    // the locking path checks it too
    await expect(sut.commit({ key: key(2), regionCode: '320505', fn: start(2, 'yellow'), fence: fence(holderPid + 1), known: undefined })).rejects.toThrow('fenced 1');
    expect(await sut.head()).toBe(head);
    expect((await sut.notClosed()).filter((a) => a.ruleId === 'rule-2')).toEqual([]);
    expect(await ds.query(`SELECT count(*)::int AS n FROM alarm_events WHERE seq > $1`, [head])).toEqual([{ n: 0 }]);
  });

  describe('with notification outbox rows', () => {
    let notifying: AlarmStore;
    const calls = { plan: 0, hook: 0 };
    const draftsOf = (events: readonly UnnumberedEvent[]): OutboxDraft[] =>
      events.flatMap((e, i) =>
        e.event === 'raised' || e.event === 'tier_changed'
          ? (['sms', 'wechat'] as const).map((channel) => ({
              event: i,
              keySuffix: `officer:${channel}`,
              recipient: 'officer',
              channel,
              address: { name: '值班', phone: '13800000000', wecomKey: null, wechatOpenid: null, to: '13800000000', params: {}, link: '' },
              providers: ['fake'],
              title: e.event,
              body: e.regionCode,
            }))
          : [],
      );
    const plan: OutboxPlan = async (_em, events) => {
      calls.plan++;
      return draftsOf(events);
    };
    // the locking path's hook writes the same rows, keyed by the committed seq
    const hook: InTransaction = async (em, events) => {
      calls.hook++;
      for (const d of draftsOf(events)) {
        const e = events[d.event]!;
        await em.query(
          `INSERT INTO notification_outbox (dedup_key, alarm_id, event_seq, kind, recipient, channel, address, providers, title, body)
           VALUES ($1, $2, $3, 'event', $4, $5, $6, $7, $8, $9) ON CONFLICT (dedup_key) DO NOTHING`,
          [`${e.alarm.id}:${e.seq}:${d.keySuffix}`, e.alarm.id, e.seq, d.recipient, d.channel, JSON.stringify(d.address), d.providers, d.title, d.body],
        );
      }
    };
    type OutboxRow = { dedup_key: string; event_seq: string; channel: string; body: string; xmin: string; cmin: string };
    const outboxOf = (alarmId: string): Promise<OutboxRow[]> =>
      ds.query(`SELECT dedup_key, event_seq, channel, body, xmin::text, cmin::text FROM notification_outbox WHERE alarm_id = $1 ORDER BY id`, [alarmId]);
    const notifies = (events: readonly { event: string }[]) => events.some((e) => e.event === 'raised' || e.event === 'tier_changed');

    beforeAll(() => {
      notifying = new AlarmStore(ds, hook, { notify: true, hookFor: notifies, outbox: plan });
    });
    beforeEach(() => {
      calls.plan = 0;
      calls.hook = 0;
    });

    it('commits a raise that notifies in one statement with its outbox rows (their seq and dedup key from the statement)', async () => {
      const out = await notifying.commit({ key: key(200), regionCode: '320505', fn: start(200, 'yellow'), fence: fence(holderPid), known: null });
      expect(out).toMatchObject({ ok: true, events: [{ event: 'raised' }] });
      const { alarm, events } = out as { alarm: AlarmSnapshot; events: { seq: number }[] };
      const seq = events[0]!.seq;
      expect(calls).toEqual({ plan: 1, hook: 0 }); // the locking path would have run the hook
      const rows = await outboxOf(alarm.id);
      expect(rows).toEqual(
        (['sms', 'wechat'] as const).map((channel) => expect.objectContaining({ dedup_key: `${alarm.id}:${seq}:officer:${channel}`, event_seq: String(seq), channel, body: '320505' })),
      );
      // one statement: the event and its outbox rows have the same transaction and the same command in it
      const [ev] = (await ds.query(`SELECT xmin::text, cmin::text FROM alarm_events WHERE seq = $1`, [seq])) as { xmin: string; cmin: string }[];
      expect(rows.map((r) => [r.xmin, r.cmin])).toEqual([
        [ev!.xmin, ev!.cmin],
        [ev!.xmin, ev!.cmin],
      ]);
    });

    it('writes no second outbox row when the same transition is committed again (a retry after a lost reply)', async () => {
      const [alarm] = (await notifying.notClosed()).filter((a) => a.ruleId === 'rule-200');
      const head = await notifying.head();
      // the same request: the stored alarm is no longer the known (absent) one, so it is judged again under the lock: a repeated start, no event
      const again = await notifying.commit({ key: key(200), regionCode: '320505', fn: start(200, 'yellow'), fence: fence(holderPid), known: null });
      expect(again).toMatchObject({ ok: true, events: [] });
      // the locking path's hook given the committed events again (a replay of the same seq) inserts nothing either
      const seq = alarm!.seq;
      const [committed] = await notifying.eventsBetween(seq - 1, seq, null);
      await ds.transaction((em) => hook(em, [committed!]));
      expect(await notifying.head()).toBe(head);
      expect(await outboxOf(alarm!.id)).toHaveLength(2);
      expect(await ds.query(`SELECT count(*)::int AS n FROM alarm_events WHERE alarm_id = $1`, [alarm!.id])).toEqual([{ n: 1 }]);
    });

    it('writes neither the alarm nor its outbox rows when the lease is stale (released by the backend named) or held by another', async () => {
      const stale = new Client({ connectionString: db.url });
      await stale.connect();
      try {
        const stalePid = (await stale.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]!.pid;
        await stale.query('SELECT pg_advisory_lock($1, 3)', [LOCK_CLASS]);
        await stale.query('SELECT pg_advisory_unlock($1, 3)', [LOCK_CLASS]); // the lease was lost (taken over after it expired)
        const head = await notifying.head();
        const outboxBefore = (await ds.query(`SELECT count(*)::int AS n FROM notification_outbox`)) as [{ n: number }];
        await expect(notifying.commit({ key: key(201), regionCode: '320505', fn: start(201, 'red'), fence: fence(stalePid, 3), known: null })).rejects.toThrow('fenced 3');
        await expect(notifying.commit({ key: key(201), regionCode: '320505', fn: start(201, 'red'), fence: fence(holderPid, 3), known: null })).rejects.toThrow('fenced 3');
        await expect(notifying.commit({ key: key(201), regionCode: '320505', fn: start(201, 'red'), fence: fence(stalePid, 3), known: undefined })).rejects.toThrow('fenced 3');
        expect(await notifying.head()).toBe(head);
        expect((await notifying.notClosed()).filter((a) => a.ruleId === 'rule-201')).toEqual([]);
        expect(await ds.query(`SELECT count(*)::int AS n FROM notification_outbox`)).toEqual(outboxBefore);
        expect(calls.hook).toBe(0);
      } finally {
        await stale.end();
      }
    });

    it("plans a timer's action on an alarm (no region named) for the alarm's stored region, and commits it in one statement", async () => {
      const out = await notifying.commit({ key: key(202), regionCode: '320505', fn: start(202, 'yellow'), fence: fence(holderPid), known: null });
      const raised = (out as { alarm: AlarmSnapshot }).alarm;
      const rise = await notifying.commit({ key: { id: raised.id }, regionCode: '', fn: start(202, 'red'), fence: fence(holderPid), known: raised });
      expect(rise).toMatchObject({ ok: true, events: [{ event: 'tier_changed', regionCode: '320505' }] });
      expect(calls).toEqual({ plan: 2, hook: 0 });
      expect((await outboxOf(raised.id)).map((r) => r.body)).toEqual(['320505', '320505', '320505', '320505']);
    });

    it('takes the locking path when the stored alarm is in another region than the rows were planned for', async () => {
      const [alarm] = (await notifying.notClosed()).filter((a) => a.ruleId === 'rule-200');
      await ds.query(`UPDATE alarms SET region_code = '320506' WHERE id = $1`, [alarm!.id]); // its enterprise moved
      const out = await notifying.commit({ key: key(200), regionCode: '320505', fn: start(200, 'red'), fence: fence(holderPid), known: alarm });
      expect(out).toMatchObject({ ok: true, events: [{ event: 'tier_changed', regionCode: '320506' }] });
      expect(calls).toEqual({ plan: 1, hook: 1 });
      const seq = (out as { events: { seq: number }[] }).events[0]!.seq;
      expect((await outboxOf(alarm!.id)).filter((r) => r.event_seq === String(seq)).map((r) => r.body)).toEqual(['320506', '320506']);
    });
  });

  it('numbers concurrent one-statement commits without gap or duplicate', async () => {
    const head = await sut.head();
    const outs = await Promise.all(Array.from({ length: 40 }, (_, i) => sut.commit({ key: key(100 + i), regionCode: '320505', fn: start(100 + i, 'yellow'), fence: fence(holderPid), known: null })));
    const seqs = outs.flatMap((o) => (o.ok ? o.events.map((e) => e.seq) : [])).sort((a, b) => a - b);
    expect(seqs).toEqual(Array.from({ length: 40 }, (_, i) => head + i + 1));
  });
});
