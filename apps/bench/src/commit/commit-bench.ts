import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { AlarmStore, createDataSource, RegistryService, type AdvisoryFence, type AlarmKey, type CommittedEvent, type InTransaction, type OutboxDraft, type OutboxPlan, type RuleStateRow } from '@sw/persistence';
import { applyConditionChange, type AlarmContext, type AlarmSnapshot } from '@sw/rules';
import { createTestDatabase, testUscc } from '@sw/testing';
import { Client } from 'pg';
import type { DataSource, EntityManager } from 'typeorm';
import { percentile } from '../support/proc-stats';

const REPO = join(__dirname, '..', '..', '..', '..', '..');
const LOCK_CLASS = 7_262_011; // alerting's partition lease class
const FENCE_SQL = `SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND granted AND objsubid = 2 AND classid = $1 AND objid = $2 AND pid = $3
  AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`;

/**
 * `bench commit` (`npm run bench:commit`): the commit hop alone — alerting's alarm transition with
 * its lease fence and rule state, against the benchmark's PostgreSQL — in its two forms, alternated
 * op by op so both see the same machine: `locking` (BEGIN + row lock, the write, the fence query,
 * COMMIT: 4 round trips, how alerting committed before the one-statement commit) and `one-statement`
 * (`AlarmStore.commit` with the known snapshot: 1 round trip). `--chains` keys commit at once.
 * Every other alarm is a raise that notifies: its two outbox rows (SMS and WeChat of one person, read
 * and written by a stand-in of alerting's outbox writer) commit with it, through `AlarmStore.commit`
 * (`notifying commit`: the rows planned in one read, then the one statement) or through the locking
 * path with the writer as in-transaction hook (`notifying locking`: how such raises committed before
 * the outbox joined the one statement), alternated too; their clears notify nobody and are not timed.
 */
export async function runCommitBench(argv: string[]): Promise<void> {
  const { values } = parseArgs({ args: argv, options: { ops: { type: 'string', default: '400' }, chains: { type: 'string', default: '4' } } });
  const ops = Number(values.ops);
  const chains = Number(values.chains);
  const db = await createTestDatabase('bench_commit');
  const ds = await createDataSource({ url: db.url, poolSize: 8, applicationName: 'alerting' }).initialize();
  const holder = new Client({ connectionString: db.url });
  try {
    const store = new AlarmStore(ds, undefined, { notify: true });
    const enterpriseId = (await new RegistryService(ds).createEnterprise({ name: '提交基准', uscc: testUscc(901), regionCode: '320505', riskCategories: ['steel'] })).id;
    await holder.connect();
    const pid = (await holder.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]?.pid as number;
    for (let c = 0; c < chains; c++) await holder.query('SELECT pg_advisory_lock($1, $2)', [LOCK_CLASS, c]);
    const notifying = new AlarmStore(ds, outboxHook, { notify: true, hookFor: (events) => events.some((e) => e.event === 'raised'), outbox: outboxPlan });
    const times: Record<Path, number[]> = { locking: [], 'one-statement': [], 'notifying locking': [], 'notifying commit': [] };
    const known = new Map<string, AlarmSnapshot | null>();
    const chain = async (c: number): Promise<void> => {
      for (let i = 0; i < ops; i++) {
        // points alternate plain and notifying; a plain point's raise and clear take the two paths in turn
        const notifies = (i >> 1) % 2 === 1;
        const plain: Path = (i + c) % 2 === 0 ? 'locking' : 'one-statement';
        const path: Path | 'clear' = !notifies ? plain : i % 2 === 1 ? 'clear' : ((i >> 2) + c) % 2 === 0 ? 'notifying locking' : 'notifying commit';
        const pointId = `00000000-0000-4000-9000-${String(c * 1_000_000 + (i >> 1)).padStart(12, '0')}`;
        const ctx: AlarmContext = { newAlarmId: crypto.randomUUID(), enterpriseId, gatewayId: '00000000-0000-4000-8000-0000000000a1', pointId, pointCode: 'CO-1', ruleId: 'co-high', kind: 'threshold', unit: 'ppm', enterpriseName: '提交基准', pointName: 'CO' };
        const key: AlarmKey = { ruleId: 'co-high', subject: pointId };
        // a raise, then (next op, the other path) the clear of the same alarm
        const change = known.get(pointId) ? { kind: 'end' as const, tier: 'red' as const, value: 1, at: Date.now() } : { kind: 'start' as const, tier: 'red' as const, value: 300, at: Date.now() };
        const fn = (current: AlarmSnapshot | null) => applyConditionChange(current, change, ctx);
        const state: RuleStateRow = { pointId, ruleId: 'co-high', state: { tier: change.kind === 'start' ? 'red' : null, value: change.value, ts: change.at } as never };
        const fence: AdvisoryFence = { lockClass: LOCK_CLASS, lockKey: c, holderPid: pid, refused: () => new Error('fenced') };
        const also = async (em: EntityManager): Promise<void> => {
          if (((await em.query(FENCE_SQL, [LOCK_CLASS, c, pid])) as unknown[]).length === 0) throw new Error('fenced');
        };
        const t0 = performance.now();
        const commit = { key, regionCode: '320505', fn, fence, state, known: known.get(pointId) ?? null };
        let out;
        if (path === 'locking') out = await store.transition(key, '320505', fn, also, state);
        else if (path === 'notifying locking') out = await notifying.transition(key, '320505', fn, also, state);
        else out = await (notifies ? notifying : store).commit(commit);
        if (path !== 'clear') times[path].push(performance.now() - t0);
        if (!out.ok) throw new Error(`${path}: ${out.reason}`);
        known.set(pointId, out.alarm.condition === 'active' ? out.alarm : null);
      }
    };
    console.log(`▶ commit hop: ${ops} transitions on each of ${chains} chains, locking and one-statement alternated, every other alarm a raise that notifies`);
    await Promise.all(Array.from({ length: chains }, (_, c) => chain(c)));
    const summary = Object.fromEntries(
      Object.entries(times).map(([path, ts]) => {
        const sorted = [...ts].sort((a, b) => a - b);
        return [path, { n: ts.length, p50: round(percentile(sorted, 50)), p90: round(percentile(sorted, 90)), p99: round(percentile(sorted, 99)) }];
      }),
    ) as Record<string, { n: number; p50: number; p90: number; p99: number }>;
    console.log('| commit | n | p50 ms | p90 ms | p99 ms |\n|---|---:|---:|---:|---:|');
    for (const [path, s] of Object.entries(summary)) console.log(`| ${path} | ${s.n} | ${s.p50} | ${s.p90} | ${s.p99} |`);
    const ratio = round((summary['one-statement']?.p50 ?? NaN) / (summary['locking']?.p50 ?? NaN));
    console.log(`one-statement ÷ locking p50: ${ratio}`);
    const notifyRatio = round((summary['notifying commit']?.p50 ?? NaN) / (summary['notifying locking']?.p50 ?? NaN));
    console.log(`notifying commit ÷ notifying locking p50: ${notifyRatio}`);
    const rows = (await ds.query(`SELECT count(*)::int AS n, count(DISTINCT dedup_key)::int AS keys FROM notification_outbox`)) as [{ n: number; keys: number }];
    console.log(`outbox rows: ${rows[0].n} (${rows[0].keys} distinct keys; 2 per notifying raise expected: ${times['notifying locking'].length * 2 + times['notifying commit'].length * 2})`);
    const dir = join(REPO, 'bench-results');
    mkdirSync(dir, { recursive: true });
    const file = join(dir, `commit-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
    writeFileSync(file, JSON.stringify({ ops, chains, summary, ratio, notifyRatio }, null, 2));
    console.log(`JSON: ${file}`);
  } finally {
    await holder.end().catch(() => undefined);
    await ds.destroy();
    await db.drop();
  }
}

const round = (x: number): number => Math.round(x * 100) / 100;

type Path = 'locking' | 'one-statement' | 'notifying locking' | 'notifying commit';

/** What alerting's outbox writer reads for an event: the region's policy and the people to reach (one round trip here). */
const CONTEXT_SQL = `SELECT (SELECT policy FROM notification_policies WHERE $2 LIKE region_code || '%' ORDER BY length(region_code) DESC LIMIT 1) AS policy,
  (SELECT name FROM enterprises WHERE id = $1) AS enterprise,
  (SELECT count(*)::int FROM enterprise_contacts WHERE enterprise_id = $1) AS contacts`;

/** The stand-in's rows of a raise: SMS and WeChat to the enterprise's safety officer. */
function outboxRows(enterprise: string, e: Pick<CommittedEvent, 'alarm' | 'at'>): Omit<OutboxDraft, 'event'>[] {
  return (['sms', 'wechat'] as const).map((channel) => ({
    keySuffix: `safety_officer:${channel}`,
    recipient: 'safety_officer',
    channel,
    address: { name: '安全员', phone: '13800000000', wecomKey: null, wechatOpenid: null, to: '13800000000', params: { enterprise }, link: 'https://console.example/alarms' },
    providers: channel === 'sms' ? ['aliyun-sms'] : ['wecom'],
    title: `${enterprise} 报警`,
    body: `${e.alarm.pointCode} ${e.alarm.tier} ${e.at}`,
  }));
}

async function readContext(db: DataSource | EntityManager, alarm: { enterpriseId: string }, regionCode: string): Promise<string> {
  const [row] = (await db.query(CONTEXT_SQL, [alarm.enterpriseId, regionCode])) as [{ enterprise: string | null }];
  return row.enterprise ?? '未知企业';
}

/** The stand-in of alerting's outbox plan: the same read and rows, their seq given by the commit. */
const outboxPlan: OutboxPlan = async (em, events) => {
  const out: OutboxDraft[] = [];
  for (const [i, e] of events.entries()) {
    if (e.event !== 'raised') continue;
    for (const row of outboxRows(await readContext(em, e.alarm, e.regionCode), e)) out.push({ ...row, event: i });
  }
  return out;
};

/** The stand-in of alerting's in-transaction outbox hook: the read, then the rows with their dedup keys. */
const outboxHook: InTransaction = async (em, events) => {
  for (const e of events) {
    if (e.event !== 'raised') continue;
    const rows = outboxRows(await readContext(em, e.alarm, e.regionCode), e);
    const values = rows.map((_, i) => `($${i * 9 + 1}, $${i * 9 + 2}::uuid, $${i * 9 + 3}::bigint, 'event', $${i * 9 + 4}, $${i * 9 + 5}, $${i * 9 + 6}::jsonb, $${i * 9 + 7}::text[], $${i * 9 + 8}, $${i * 9 + 9})`);
    await em.query(
      `INSERT INTO notification_outbox (dedup_key, alarm_id, event_seq, kind, recipient, channel, address, providers, title, body) VALUES ${values.join(', ')} ON CONFLICT (dedup_key) DO NOTHING`,
      rows.flatMap((r) => [`${e.alarm.id}:${e.seq}:${r.keySuffix}`, e.alarm.id, e.seq, r.recipient, r.channel, JSON.stringify(r.address), r.providers, r.title, r.body]),
    );
  }
};
