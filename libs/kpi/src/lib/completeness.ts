import { byGroups, type ByGroups, type Grouped } from './groups';
import { type Interval, measure } from './intervals';
import { rate } from './rate';

/** A mandatory point over the period. */
export interface CompletenessPoint extends Grouped {
  expectedIntervalS: number;
  /** when its readings are expected: the enterprise's eligible time while the point existed */
  expectedDuring: readonly Interval[];
  /** valid readings (quality not bad) received in the period */
  valid: number;
}

export interface Completeness {
  points: number;
  expected: number;
  received: number;
  completeness: number | null;
}

/** Readings a point should have sent: whole intervals of expectedIntervalS in its expected time. */
export function expectedReadings(p: Pick<CompletenessPoint, 'expectedIntervalS' | 'expectedDuring'>): number {
  return Math.floor(measure(p.expectedDuring) / (p.expectedIntervalS * 1000));
}

/**
 * 数据完整率 (docs/domain.md): valid readings of mandatory points ÷ readings expected (time ÷
 * expectedIntervalS). A point's surplus (a faster gateway) is capped at its expected count so it
 * cannot hide another point's gap.
 */
export function computeCompleteness(points: readonly CompletenessPoint[]): ByGroups<Completeness> {
  const counted = points.map((p) => ({ ...p, expected: expectedReadings(p) })).filter((p) => p.expected > 0);
  return byGroups(counted, (list) => {
    const expected = list.reduce((s, p) => s + p.expected, 0);
    const received = list.reduce((s, p) => s + Math.min(p.valid, p.expected), 0);
    return { points: list.length, expected, received, completeness: rate(received, expected) };
  });
}
