import type { StepResult } from './pipeline-step';
import { targetChecks } from './pipeline-report';

const factory = {
  step: (o: Partial<StepResult>): StepResult => ({
    ladder: 'batched', gateways: 100, points: 10, intervalMs: 100, perMessage: 10, offeredReadingsPerS: 10_000, messages: 1_000, readings: 10_000,
    bytesPerReading: 90, sustainedReadingsPerS: 10_000, sustainedMessagesPerS: 1_000, stored: 10_000, influxPointsPerS: 10_000, storeDrainS: 0.1,
    alertingDrainS: 0.1, alarmMs: { p50: 4, p99: 40, max: 45, samples: 100, timeouts: 0, share: 0.1 }, spooled: 0, cpuCores: {}, rssMB: {},
    relay: null, ratioToRelay: null, problems: [], ...o,
  }),
};

describe(targetChecks.name, () => {
  it('takes the highest batched step that kept up, not the one that fell behind', () => {
    const sut = targetChecks([
      factory.step({ sustainedReadingsPerS: 100_000, offeredReadingsPerS: 100_000 }),
      factory.step({ sustainedReadingsPerS: 110_000, offeredReadingsPerS: 125_000, problems: ['sustained < 95 %'] }),
    ]);
    expect(sut[0]).toMatchObject({ met: true, measured: expect.stringContaining('100,000') });
  });

  it('reports lost readings in any step', () => {
    const sut = targetChecks([factory.step({ stored: 9_999 })]);
    expect(sut.find((c) => c.target === 'nothing lost')?.met).toBe(false);
  });

  it('judges latency at the 10,000 readings/s step', () => {
    const sut = targetChecks([factory.step({ alarmMs: { p50: 9, p99: 90, max: 100, samples: 90, timeouts: 0, share: 0.1 } })]);
    expect(sut.at(-1)?.met).toBe(false);
  });
});
