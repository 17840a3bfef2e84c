import { UsageError } from '../cli-args';
import type { CredentialsFile, CredentialsGateway } from '../credentials/credentials.schema';
import { isLoadMode, planRun } from './run-plan';
import { runReport } from './run-report';
import { RunStats } from './run-stats';

const factory = {
  gateway: (code: string, points = 3): CredentialsGateway => ({
    code,
    password: `pw-${code}`,
    points: Array.from({ length: points }, (_, i) => ({ code: `T${i}`, type: 'temperature', unit: '°C', intervalS: 10 + i, baseline: 25 })),
  }),
  file: (over: Partial<CredentialsFile> = {}): CredentialsFile => ({
    version: 1, kind: 'demo', brokerUrl: 'mqtt://file:1883', writtenAt: '2026-11-28T00:00:00Z',
    gateways: [factory.gateway('GW-1'), factory.gateway('GW-2')], ...over,
  }),
};

describe(planRun.name, () => {
  it('runs a demo file as provisioned: every point at its own interval, one message per tick', () => {
    const sut = planRun(factory.file(), {});
    expect(sut).toMatchObject({ mode: 'demo', url: 'mqtt://file:1883', qos: 1, perMessage: 1_000, verbose: true });
    expect(sut.gateways[0]!.points.map((p) => p.intervalMs)).toEqual([10_000, 11_000, 12_000]);
  });

  it('takes the url from the flag, then the environment, then the file', () => {
    expect(planRun(factory.file(), { url: 'mqtt://flag' }, 'mqtt://env').url).toBe('mqtt://flag');
    expect(planRun(factory.file(), {}, 'mqtt://env').url).toBe('mqtt://env');
  });

  it('load mode: first N gateways × first M points at one interval, spread over it', () => {
    const flags = { gateways: 1, points: 2, intervalMs: 500, perMessage: 1, qos: 0 as const };
    expect(isLoadMode(flags)).toBe(true);
    const sut = planRun(factory.file({ kind: 'bench' }), flags);
    expect(sut).toMatchObject({ mode: 'load', qos: 0, perMessage: 1, spreadMs: 500 });
    expect(sut.gateways.map((g) => g.code)).toEqual(['GW-1']);
    expect(sut.gateways[0]!.points.map((p) => [p.code, p.intervalMs])).toEqual([['T0', 500], ['T1', 500]]);
  });

  it('runs a bench file in load mode even without flags', () => {
    expect(planRun(factory.file({ kind: 'bench' }), {}).mode).toBe('load');
  });

  it('refuses more gateways or points than the file has', () => {
    expect(() => planRun(factory.file(), { gateways: 3 })).toThrow(UsageError);
    expect(() => planRun(factory.file(), { points: 4 })).toThrow(UsageError);
    expect(() => planRun(factory.file(), { perMessage: 1_001 })).toThrow(UsageError);
  });
});

describe(runReport.name, () => {
  it('reports achieved and target rates', () => {
    const plan = planRun(factory.file({ kind: 'bench' }), { gateways: 2, points: 3, intervalMs: 500, perMessage: 2 });
    const stats = new RunStats(0);
    stats.published = 80;
    stats.readings = 120;
    const sut = runReport(plan, { connected: 2, seconds: 0.123 }, stats, 10);
    expect(sut).toMatchObject({
      gateways: 2, connected: 2, connectSeconds: 0.12, pointsPerGateway: 3, intervalMs: 500, perMessage: 2,
      messagesPerS: 8, readingsPerS: 12, targetMessagesPerS: 8, targetReadingsPerS: 12,
    });
  });
});

describe(RunStats.name, () => {
  it('gives the rates since the previous look', () => {
    const sut = new RunStats(0);
    sut.published = 10;
    sut.readings = 30;
    expect(sut.window(5_000)).toEqual({ seconds: 5, messagesPerS: 2, readingsPerS: 6 });
    sut.published = 20;
    expect(sut.window(10_000)).toMatchObject({ messagesPerS: 2, readingsPerS: 0 });
  });
});
