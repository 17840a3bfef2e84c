import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { AlarmStore, createDataSource, RegistryService, type AdvisoryFence, type AlarmKey, type RuleStateRow } from '@sw/persistence';
import { applyConditionChange, type AlarmContext, type AlarmSnapshot } from '@sw/rules';
import { createTestDatabase, testUscc } from '@sw/testing';
import { Client } from 'pg';
import type { EntityManager } from 'typeorm';
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
    const times: Record<'locking' | 'one-statement', number[]> = { locking: [], 'one-statement': [] };
    const known = new Map<string, AlarmSnapshot | null>();
    const chain = async (c: number): Promise<void> => {
      for (let i = 0; i < ops; i++) {
        const path = (i + c) % 2 === 0 ? 'locking' : 'one-statement';
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
        const out = path === 'locking' ? await store.transition(key, '320505', fn, also, state) : await store.commit({ key, regionCode: '320505', fn, fence, state, known: known.get(pointId) ?? null });
        times[path].push(performance.now() - t0);
        if (!out.ok) throw new Error(`${path}: ${out.reason}`);
        known.set(pointId, out.alarm.condition === 'active' ? out.alarm : null);
      }
    };
    console.log(`▶ commit hop: ${ops} transitions on each of ${chains} chains, locking and one-statement alternated`);
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
    const dir = join(REPO, 'bench-results');
    mkdirSync(dir, { recursive: true });
    const file = join(dir, `commit-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
    writeFileSync(file, JSON.stringify({ ops, chains, summary, ratio }, null, 2));
    console.log(`JSON: ${file}`);
  } finally {
    await holder.end().catch(() => undefined);
    await ds.destroy();
    await db.drop();
  }
}

const round = (x: number): number => Math.round(x * 100) / 100;
