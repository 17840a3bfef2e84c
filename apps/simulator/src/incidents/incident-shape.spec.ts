import {
  applyTarget,
  envelopeAt,
  INCIDENT_KIND_SPECS,
  incidentPhase,
  selectTargets,
  toIncidentView,
} from './incident-shape';
import type { Incident, IncidentPointInfo } from './incident.types';

const T0 = 1_795_831_200_000;
const factory = {
  incident: (over: Partial<Incident> = {}): Incident => ({
    id: 'i-1', kind: 'co_leak', gateway: 'GW-1', targets: [], startedAt: T0, rampMs: 20_000, holdUntil: T0 + 180_000, recoverMs: 30_000, ...over,
  }),
  point: (over: Partial<IncidentPointInfo> = {}): IncidentPointInfo => ({ code: 'CO-01', type: 'co', unit: 'ppm', baseline: 4, ...over }),
};

/** The value of a target at `t` for a healthy `value`. */
function shaped(incident: Incident, value: number, t: number): number {
  return applyTarget(value, incident.targets[0]!, envelopeAt(incident, t));
}

describe(envelopeAt.name, () => {
  const sut = factory.incident();

  it('ramps up, holds, recovers, and is 0 outside', () => {
    expect(envelopeAt(sut, T0 - 1)).toBe(0);
    expect(envelopeAt(sut, T0 + 10_000)).toBeCloseTo(0.5);
    expect(envelopeAt(sut, T0 + 100_000)).toBe(1);
    expect(envelopeAt(sut, T0 + 195_000)).toBeCloseTo(0.5);
    expect(envelopeAt(sut, T0 + 210_000)).toBe(0);
  });

  it('recovers from where it stood when ended during the ramp', () => {
    const ended = factory.incident({ holdUntil: T0 + 10_000 });
    expect(envelopeAt(ended, T0 + 10_000)).toBeCloseTo(0.5);
    expect(envelopeAt(ended, T0 + 12_000)).toBeCloseTo(0.5 * (1 - 2 / 30));
    expect(envelopeAt(ended, T0 + 25_000)).toBeCloseTo(0.25);
    expect(envelopeAt(ended, T0 + 40_000)).toBe(0);
  });

  it('steps without ramps (gateway_silent)', () => {
    const silent = factory.incident({ rampMs: 0, recoverMs: 0, holdUntil: T0 + 60_000 });
    expect(envelopeAt(silent, T0)).toBe(1);
    expect(envelopeAt(silent, T0 + 60_000)).toBe(0);
  });
});

describe(incidentPhase.name, () => {
  it('names the phases', () => {
    const sut = factory.incident();
    expect(incidentPhase(sut, T0 + 1)).toBe('ramping');
    expect(incidentPhase(sut, T0 + 30_000)).toBe('holding');
    expect(incidentPhase(sut, T0 + 190_000)).toBe('recovering');
    expect(incidentPhase(sut, T0 + 210_000)).toBe('over');
  });
});

describe('incident kinds', () => {
  function started(kind: Incident['kind'], points: IncidentPointInfo[]): Incident {
    const spec = INCIDENT_KIND_SPECS[kind];
    return factory.incident({
      kind, targets: selectTargets(kind, points), rampMs: spec.rampS * 1000, recoverMs: spec.recoverS * 1000,
      holdUntil: T0 + spec.defaultDurationS * 1000,
    });
  }

  it('co_leak: from baseline to ~200 ppm over ~20 s, then back', () => {
    const sut = started('co_leak', [factory.point()]);
    expect(shaped(sut, 4, T0)).toBe(4);
    expect(shaped(sut, 4, T0 + 20_000)).toBe(200);
    expect(shaped(sut, 5, T0 + 90_000)).toBe(201); // the noise rides on top
    expect(shaped(sut, 4, T0 + 180_000 + 30_000)).toBe(4);
  });

  it('co_leak: peaks at 200 ppm also for a point in mg/m3 (≈ 250 mg/m3)', () => {
    const sut = started('co_leak', [factory.point({ unit: 'mg/m3', baseline: 5 })]);
    expect(shaped(sut, 5, T0 + 30_000)).toBeCloseTo(250, 0);
  });

  it('cooling_water_loss: flow and pressure drop by ≥ 50 % within a few seconds (catalog: ≥ 30 % in 10 s → red)', () => {
    const sut = started('cooling_water_loss', [
      factory.point({ code: 'CA-01', type: 'casting_active', unit: '', baseline: 1 }),
      factory.point({ code: 'FL-01', type: 'water_flow', unit: 'm3/h', baseline: 120 }),
      factory.point({ code: 'PR-01', type: 'water_pressure', unit: 'MPa', baseline: 0.35 }),
    ]);
    expect(sut.targets.map((t) => [t.index, t.code])).toEqual([[1, 'FL-01'], [2, 'PR-01']]);
    const [flow, pressure] = sut.targets;
    expect(applyTarget(120, flow!, envelopeAt(sut, T0 + 3_000))).toBeLessThanOrEqual(60);
    expect(applyTarget(0.35, pressure!, envelopeAt(sut, T0 + 3_000))).toBeLessThanOrEqual(0.175);
    expect(applyTarget(120, flow!, envelopeAt(sut, T0 + 2_000))).toBeLessThan(120 * 0.7); // −30 % within 2 s
  });

  it('hopper_over_temperature: past 75 °C', () => {
    const sut = started('hopper_over_temperature', [factory.point({ code: 'HT-01', type: 'hopper_temperature', unit: '°C', baseline: 40 })]);
    const peak = Math.max(...Array.from({ length: 40 }, (_, i) => shaped(sut, 40, T0 + i * 5_000)));
    expect(peak).toBeGreaterThan(75);
    expect(shaped(sut, 40, T0 + 30_000)).toBeGreaterThan(60);
  });
});

describe(selectTargets.name, () => {
  const points = [factory.point(), factory.point({ code: 'CO-02' })];

  it('takes the first point of the type, or the one named', () => {
    expect(selectTargets('co_leak', points).map((t) => t.code)).toEqual(['CO-01']);
    expect(selectTargets('co_leak', points, 'CO-02').map((t) => t.code)).toEqual(['CO-02']);
  });

  it('finds nothing on a gateway without the type, or for gateway_silent', () => {
    expect(selectTargets('hopper_over_temperature', points)).toEqual([]);
    expect(selectTargets('gateway_silent', points)).toEqual([]);
  });
});

describe(toIncidentView.name, () => {
  it('shows times as ISO 8601 and the phase', () => {
    const sut = factory.incident({ targets: [{ index: 0, code: 'CO-01', mode: 'add', amount: 196 }] });
    expect(toIncidentView(sut, T0 + 30_000)).toEqual({
      id: 'i-1', kind: 'co_leak', gateway: 'GW-1', points: ['CO-01'], phase: 'holding',
      startedAt: new Date(T0).toISOString(), recoveryStartsAt: new Date(T0 + 180_000).toISOString(),
      endsAt: new Date(T0 + 210_000).toISOString(),
    });
  });
});
