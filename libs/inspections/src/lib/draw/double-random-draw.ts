import { daysBetween } from '../policy/calendar-day';
import type { RiskLevel } from '../policy/inspection-policy';
import { DRAW_ALGORITHM, SeededRandom } from './seeded-random';

/** Fewest inspectors on a team: an inspection needs at least two (docs/domain.md "The closed loop"). */
export const MIN_TEAM_SIZE = 2;

/** One enterprise of the candidate list, as stored with the draw. */
export interface DrawCandidate {
  enterpriseId: string;
  name: string;
  regionCode: string;
  level: RiskLevel;
  /** false: no grade yet (未定级), `level` is the policy's fallback */
  graded: boolean;
  weight: number;
  /** last site inspection day, or null */
  lastInspectedOn: string | null;
}

/** One inspector of the region's pool, as stored with the draw. */
export interface DrawInspector {
  id: string;
  name: string;
  certificateNo: string;
  active: boolean;
  /** enterprises the inspector is related to (conflict of interest: never drawn for them) */
  relatedEnterpriseIds: string[];
}

/** Everything a draw depends on: storing this is enough to replay it. */
export interface DrawInput {
  seed: string;
  /** the draw's day (YYYY-MM-DD, Asia/Shanghai): the K-day exclusion counts back from it */
  day: string;
  /** enterprises to draw */
  n: number;
  /** inspectors per team */
  m: number;
  /** K: an enterprise inspected fewer than K days before `day` is left out */
  excludeDays: number;
  candidates: DrawCandidate[];
  inspectors: DrawInspector[];
}

export interface DrawPick {
  enterpriseId: string;
  /** Efraimidis–Spirakis key ln(u)/w; larger is drawn first */
  key: number;
  /** inspector ids, in the order drawn */
  team: string[];
  /** true when fewer than `m` eligible inspectors were left for this enterprise */
  shortfall: boolean;
}

export interface DrawResult {
  algorithm: string;
  /** left out before drawing, with the reason */
  excluded: { enterpriseId: string; reason: 'recently_inspected' | 'zero_weight'; lastInspectedOn: string | null }[];
  eligible: number;
  picks: DrawPick[];
}

export type DrawOutcome = { ok: true; result: DrawResult } | { ok: false; code: 'invalid_input'; reason: string };

/**
 * The 双随机 draw: N enterprises weighted by risk level, without replacement, then a team of M
 * inspectors for each, from one seeded stream (`SeededRandom`). Deterministic: the same input
 * gives the same result on any machine.
 *
 * 1. Candidates inspected fewer than K days before the day, or with weight 0, are left out.
 * 2. Enterprises (Efraimidis–Spirakis A-ES): in stored order, each eligible candidate takes the
 *    next number u of the stream and the key ln(u) / weight; the N largest keys are drawn (a tie
 *    goes to the earlier candidate). This equals drawing one at a time with probability
 *    proportional to weight among those left.
 * 3. Teams, for each drawn enterprise in draw order: the active inspectors not related to it, in
 *    stored order, each take the next number u; those on fewer teams of this draw come first, then
 *    the smaller u; the first M form the team.
 */
export function drawDoubleRandom(input: DrawInput): DrawOutcome {
  const bad = checkInput(input);
  if (bad) return { ok: false, code: 'invalid_input', reason: bad };
  const rng = new SeededRandom(input.seed);
  const excluded: DrawResult['excluded'] = [];
  const keyed: { c: DrawCandidate; key: number; index: number }[] = [];
  input.candidates.forEach((c, index) => {
    if (c.lastInspectedOn !== null && daysBetween(c.lastInspectedOn, input.day) < input.excludeDays) {
      excluded.push({ enterpriseId: c.enterpriseId, reason: 'recently_inspected', lastInspectedOn: c.lastInspectedOn });
    } else if (c.weight <= 0) {
      excluded.push({ enterpriseId: c.enterpriseId, reason: 'zero_weight', lastInspectedOn: c.lastInspectedOn });
    } else {
      keyed.push({ c, key: Math.log(rng.next()) / c.weight, index });
    }
  });
  const drawn = [...keyed].sort((a, b) => b.key - a.key || a.index - b.index).slice(0, input.n);
  const uses = new Map<string, number>();
  const picks = drawn.map(({ c, key }) => {
    const team = drawTeam(rng, input.inspectors, c.enterpriseId, input.m, uses);
    return { enterpriseId: c.enterpriseId, key, team, shortfall: team.length < input.m };
  });
  return { ok: true, result: { algorithm: DRAW_ALGORITHM, excluded, eligible: keyed.length, picks } };
}

function drawTeam(rng: SeededRandom, pool: DrawInspector[], enterpriseId: string, m: number, uses: Map<string, number>): string[] {
  const eligible = pool.filter((i) => i.active && !i.relatedEnterpriseIds.includes(enterpriseId)).map((i, index) => ({ id: i.id, u: rng.next(), index }));
  const team = eligible
    .sort((a, b) => (uses.get(a.id) ?? 0) - (uses.get(b.id) ?? 0) || a.u - b.u || a.index - b.index)
    .slice(0, m)
    .map((i) => i.id);
  for (const id of team) uses.set(id, (uses.get(id) ?? 0) + 1);
  return team;
}

function checkInput(i: DrawInput): string | null {
  if (!i.seed) return 'seed is empty';
  if (!Number.isInteger(i.n) || i.n < 1) return 'n must be a whole number ≥ 1';
  if (!Number.isInteger(i.m) || i.m < MIN_TEAM_SIZE) return `m must be a whole number ≥ ${MIN_TEAM_SIZE}`;
  if (!Number.isInteger(i.excludeDays) || i.excludeDays < 0) return 'excludeDays must be a whole number ≥ 0';
  if (!/^\d{4}-\d{2}-\d{2}$/.test(i.day)) return 'day must be YYYY-MM-DD';
  if (new Set(i.candidates.map((c) => c.enterpriseId)).size !== i.candidates.length) return 'a candidate is listed twice';
  if (i.candidates.some((c) => !Number.isFinite(c.weight) || c.weight < 0)) return 'weights must be finite and ≥ 0';
  return null;
}

/** What a replay answers: the recomputed result and whether it equals the stored one. */
export interface ReplayOutcome {
  matches: boolean;
  recomputed: DrawResult | null;
  reason: string | null;
}

/** Recomputes a stored draw from its seed and lists and compares the picks and teams with the stored result. */
export function replayDraw(input: DrawInput, stored: DrawResult): ReplayOutcome {
  const out = drawDoubleRandom(input);
  if (!out.ok) return { matches: false, recomputed: null, reason: out.reason };
  const same = (r: DrawResult) => JSON.stringify(r.picks.map((p) => [p.enterpriseId, p.team]));
  const matches = stored.algorithm === out.result.algorithm && same(stored) === same(out.result);
  return { matches, recomputed: out.result, reason: matches ? null : 'the recomputed picks differ from the stored ones' };
}
