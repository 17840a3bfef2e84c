import { effectiveThresholds, setpointsOf, tierOfValue } from './point-thresholds';
import { readingsWindow, toSeries } from './readings-window';

describe(readingsWindow.name, () => {
  const now = Date.parse('2026-11-28T12:00:00.000Z');

  it('asks raw readings from 30 min before the alarm until now for a short active alarm', () => {
    expect(readingsWindow({ raisedAt: '2026-11-28T11:50:00.000Z', clearedAt: null }, now)).toEqual({ from: '2026-11-28T11:20:00.000Z', to: '2026-11-28T12:00:00.000Z' });
  });

  it('ends 15 min after clearing and buckets a long window into about 300 points', () => {
    const w = readingsWindow({ raisedAt: '2026-11-27T12:00:00.000Z', clearedAt: '2026-11-28T09:45:00.000Z' }, now);
    expect(w.to).toBe('2026-11-28T10:00:00.000Z');
    expect(w.every).toBe('270s'); // 22.5 h / 300
  });

  it('turns raw and bucketed readings into chart pairs, skipping empty buckets', () => {
    expect(toSeries([{ ts: '2026-11-28T10:00:00.000Z', value: 3 }])).toEqual([[Date.parse('2026-11-28T10:00:00.000Z'), 3]]);
    expect(toSeries([{ ts: '2026-11-28T10:00:00.000Z', mean: null, min: null, max: null, count: 0 }])).toEqual([]);
  });
});

describe(effectiveThresholds.name, () => {
  // docs/domain.md: co ≥ 24 ppm yellow, ≥ 48 ppm orange, ≥ 160 ppm red; a point's own key replaces the default's
  it('draws the catalog setpoints, converted to the point unit, unless the point overrides them', () => {
    expect(setpointsOf(effectiveThresholds({ type: 'co', unit: 'ppm', thresholds: null }))).toEqual([
      { direction: 'high', tier: 'red', value: 160 },
      { direction: 'high', tier: 'orange', value: 48 },
      { direction: 'high', tier: 'yellow', value: 24 },
    ]);
    expect(setpointsOf(effectiveThresholds({ type: 'co', unit: 'mg/m3', thresholds: null })).map((s) => s.value)).toEqual([200, 60, 30]);
    expect(setpointsOf(effectiveThresholds({ type: 'co', unit: 'ppm', thresholds: { high: { red: 300 } } }))).toEqual([{ direction: 'high', tier: 'red', value: 300 }]);
  });

  it('finds the tier a live value reaches', () => {
    const setpoints = setpointsOf(effectiveThresholds({ type: 'o2', unit: '%VOL', thresholds: null }));
    expect(tierOfValue(18, setpoints)).toBe('orange');
    expect(tierOfValue(20.9, setpoints)).toBeNull();
  });
});
