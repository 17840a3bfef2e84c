import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { HopMark } from '@sw/sensors';
import { percentile } from './proc-stats';

/** One probe sample as the bench saw it: wall-clock publish and socket arrival, the event's seq. */
export interface ProbeTrace {
  publishedAt: number;
  arrivedAt: number;
  seq: number;
}

/** The alarm path's hops in order; each row is the time from the previous mark to this one. */
export const HOPS = [
  ['ingest.accept', 'publish → ingest decoded and accepted'],
  ['ingest.publish', 'ingest → partition/priority publish'],
  ['alerting.receive', 'broker → alerting received'],
  ['alerting.evaluate', 'alerting evaluated'],
  ['alerting.commit', 'transition committed'],
  ['alerting.publish', 'event published'],
  ['api.receive', 'broker/NOTIFY → api received'],
  ['api.socket', 'api sequenced and sent'],
  ['probe.socket', 'socket → duty officer'],
] as const;

export interface HopRow {
  hop: string;
  what: string;
  p50: number;
  p99: number;
  n: number;
}

/**
 * Joins the apps' marks with the probe's samples: a sample's seq finds the transition that committed
 * it (`alerting.commit`, first seq of the transition), whose key finds the reading's ingest and
 * alerting marks; api's marks carry the seq. Each hop's p50/p99 over the samples that have both ends.
 */
export function hopTable(marks: readonly HopMark[], samples: readonly ProbeTrace[]): HopRow[] {
  const byKey = new Map<string, Map<string, number>>();
  const bySeq = new Map<number, Map<string, number>>();
  const commits: { seq: number; key: string }[] = [];
  const put = (m: Map<string, number>, hop: string, t: number) => {
    const had = m.get(hop);
    if (had === undefined || t < had) m.set(hop, t); // first time through the hop (either lane)
  };
  for (const m of marks) {
    if (m.key) {
      let hops = byKey.get(m.key);
      if (!hops) byKey.set(m.key, (hops = new Map()));
      put(hops, m.hop, m.t);
      if (m.hop === 'alerting.commit' && m.seq !== undefined) commits.push({ seq: m.seq, key: m.key });
    } else if (m.seq !== undefined) {
      let hops = bySeq.get(m.seq);
      if (!hops) bySeq.set(m.seq, (hops = new Map()));
      put(hops, m.hop, m.t);
    }
  }
  commits.sort((a, b) => a.seq - b.seq);
  const deltas = new Map<string, number[]>(HOPS.map(([hop]) => [hop, []]));
  const totals: number[] = [];
  for (const s of samples) {
    const commit = lastAtMost(commits, s.seq);
    const times = new Map<string, number>([['probe.publish', s.publishedAt], ['probe.socket', s.arrivedAt]]);
    // only marks inside the sample's own span: a key or seq joined by mistake cannot stretch a hop
    const inSpan = (t: number) => t >= s.publishedAt - 0.5 && t <= s.arrivedAt + 0.5;
    for (const [hop, t] of (commit ? byKey.get(commit.key) : undefined) ?? []) if (inSpan(t)) times.set(hop, t);
    for (const [hop, t] of bySeq.get(s.seq) ?? []) if (inSpan(t)) times.set(hop, t);
    let prev = times.get('probe.publish') as number;
    for (const [hop] of HOPS) {
      const t = times.get(hop);
      if (t === undefined) continue; // a hop not marked: the next row spans it
      deltas.get(hop)?.push(Math.max(0, t - prev));
      prev = t;
    }
    totals.push(s.arrivedAt - s.publishedAt);
  }
  const row = (hop: string, what: string, xs: number[]): HopRow => {
    const sorted = [...xs].sort((a, b) => a - b);
    return { hop, what, p50: round(percentile(sorted, 50)), p99: round(percentile(sorted, 99)), n: sorted.length };
  };
  return [...HOPS.map(([hop, what]) => row(hop, what, deltas.get(hop) ?? [])), row('total', 'publish → socket', totals)];
}

function lastAtMost(sorted: { seq: number; key: string }[], seq: number): { seq: number; key: string } | undefined {
  let lo = 0;
  let hi = sorted.length - 1;
  let found: { seq: number; key: string } | undefined;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const c = sorted[mid] as { seq: number; key: string };
    if (c.seq <= seq) {
      found = c;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found && seq - found.seq < 8 ? found : undefined;
}

export function hopTableText(rows: HopRow[]): string {
  const head = '| hop | p50 ms | p99 ms | n |\n|---|---:|---:|---:|';
  return [head, ...rows.map((r) => `| ${r.what} | ${r.p50} | ${r.p99} | ${r.n} |`)].join('\n');
}

/** Every mark the apps wrote to the trace folder so far. */
export function readHopMarks(dir: string): HopMark[] {
  if (!existsSync(dir)) return [];
  const marks: HopMark[] = [];
  for (const f of readdirSync(dir)) {
    for (const line of readFileSync(join(dir, f), 'utf8').split('\n')) if (line) marks.push(JSON.parse(line) as HopMark);
  }
  return marks;
}

const round = (n: number): number => Math.round(n * 100) / 100;

/** `KEY=VALUE,KEY=VALUE` from the command line, as app settings. */
export function appEnv(list: string): Record<string, string> {
  return Object.fromEntries(
    list
      .split(',')
      .filter(Boolean)
      .map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)]),
  );
}
