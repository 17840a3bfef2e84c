import { decodeTelemetry } from '@sw/sensors';
import type { Incident } from '../incidents/incident.types';
import { GatewaySimulation, type GatewaySimulationOptions, type SimPointSpec } from './gateway-simulation';

const T0 = 1_795_831_200_000;
const factory = {
  point: (over: Partial<SimPointSpec> = {}): SimPointSpec => ({ code: 'CO-01', type: 'co', unit: 'ppm', baseline: 4, intervalMs: 5_000, ...over }),
  sim: (over: Partial<GatewaySimulationOptions> = {}) =>
    new GatewaySimulation({
      code: 'GW-01',
      startMs: T0,
      perMessage: 1_000,
      points: [
        factory.point(),
        factory.point({ code: 'SP-01', type: 'spark_detected', unit: '', baseline: 0, intervalMs: 10_000 }),
        factory.point({ code: 'DP-01', type: 'filter_dp', unit: 'Pa', baseline: 750, intervalMs: 30_000 }),
      ],
      ...over,
    }),
};

function tick(sut: GatewaySimulation, now: number, incidents: readonly Incident[] = []): string[] {
  const out: string[] = [];
  sut.collect(now, incidents, out);
  return out;
}

describe(GatewaySimulation.name, () => {
  it('publishes docs/contracts.md §1 telemetry that the platform decoder accepts', () => {
    const [payload, ...rest] = tick(factory.sim(), T0);
    expect(rest).toEqual([]);
    const decoded = decodeTelemetry(payload!, T0);
    expect(decoded.errors).toEqual([]);
    expect(decoded).toMatchObject({ seq: 1, ts: T0 });
    expect(decoded.readings.map((r) => r.point)).toEqual(['CO-01', 'SP-01', 'DP-01']);
    expect(decoded.readings[1]!.value).toBe(0); // digital points are 0 normally
  });

  it('sends one message per tick with only the points due, and counts seq up', () => {
    const sut = factory.sim();
    tick(sut, T0);
    expect(sut.nextDueAt()).toBe(T0 + 5_000);
    const five = JSON.parse(tick(sut, T0 + 5_000)[0]!) as { seq: number; readings: { point: string }[] };
    expect(five.seq).toBe(2);
    expect(five.readings.map((r) => r.point)).toEqual(['CO-01']);
    expect(tick(sut, T0 + 7_000)).toEqual([]);
    const ten = JSON.parse(tick(sut, T0 + 10_000)[0]!) as { readings: { point: string }[] };
    expect(ten.readings.map((r) => r.point)).toEqual(['CO-01', 'SP-01']);
  });

  it('splits the due readings into messages of at most perMessage', () => {
    const points = Array.from({ length: 10 }, (_, i) => factory.point({ code: `T${i}`, type: 'temperature', unit: '°C', baseline: 25 }));
    const sut = factory.sim({ points, perMessage: 4 });
    const out: string[] = [];
    expect(sut.collect(T0, [], out)).toBe(10);
    const sizes = out.map((p) => (JSON.parse(p) as { readings: unknown[] }).readings.length);
    expect(sizes).toEqual([4, 4, 2]);
    expect(out.map((p) => (JSON.parse(p) as { seq: number }).seq)).toEqual([1, 2, 3]);
  });

  it('applies the incidents in force to their targets only', () => {
    const incident: Incident = {
      id: 'i', kind: 'co_leak', gateway: 'GW-01', targets: [{ index: 0, code: 'CO-01', mode: 'add', amount: 196 }],
      startedAt: T0 - 60_000, rampMs: 20_000, holdUntil: T0 + 60_000, recoverMs: 30_000,
    };
    const decoded = decodeTelemetry(tick(factory.sim(), T0, [incident])[0]!, T0);
    expect(decoded.readings[0]!.value).toBeGreaterThan(190);
    expect(decoded.readings[2]!.value).toBeLessThan(1_000);
  });

  it('escapes point codes once, into valid JSON', () => {
    const sut = factory.sim({ points: [factory.point({ code: 'A"B' })] });
    expect(JSON.parse(tick(sut, T0)[0]!)).toMatchObject({ readings: [{ point: 'A"B' }] });
  });
});
