/**
 * The daily risk-grading job (docs/domain.md "The closed loop"; docs/architecture.md: work on a clock
 * runs in alerting) against a real PostgreSQL database, on a fake timer driver: the clock moves only
 * when the spec says so. No points are registered, so InfluxDB is never asked (its URL is a closed port).
 */
import 'reflect-metadata';
import { RegistryService } from '@sw/persistence';
import { FakeTimerDriver, randomSecret, TestServices, testUscc, waitFor } from '@sw/testing';
import type { DataSource } from 'typeorm';
import { alertingConfigSchema } from '../config/alerting.config';
import { openDataSource } from '../testing/alerting-harness.factory';
import { TimerService } from '../timers/timer.service';
import { GradingJobService } from './grading-job.service';

const MIN = 60_000;
const t0 = Date.parse('2026-06-10T20:00:00Z'); // 2026-06-11 04:00 Asia/Shanghai

describe(GradingJobService.name, () => {
  let services: TestServices;
  let ds: DataSource;
  let driver: FakeTimerDriver;
  let timers: TimerService;
  let sut: GradingJobService;
  let steel: string;

  const rows = async () =>
    (await ds.query(`SELECT enterprise_id, to_char(day, 'YYYY-MM-DD') AS day, level, score::float AS score, computed_at FROM enterprise_risk_grades ORDER BY day`)) as {
      enterprise_id: string;
      day: string;
      level: string;
      score: number;
      computed_at: Date;
    }[];
  /** Moves the clock and waits for the job's next finished run (its counter is the signal). */
  const advance = async (to: number) => {
    const before = sut.runs;
    driver.advanceTo(to);
    await waitFor(() => sut.runs > before, { what: 'a grading run', timeoutMs: 10_000, intervalMs: 20 });
  };

  beforeAll(async () => {
    services = await TestServices.start('alerting_grading');
    ds = await openDataSource(services, 3);
    steel = (await new RegistryService(ds).createEnterprise({ name: '钢铁企业', uscc: testUscc(1), regionCode: '320505', riskCategories: ['steel'], standardizationGrade: 'level_2' })).id;
    // a wood-dust shop under 30 workers is outside the connection scope: never graded
    await new RegistryService(ds).createEnterprise({ name: '木制品厂', uscc: testUscc(2), regionCode: '320505', riskCategories: ['wood_dust'], dustWorkers: 12 });
    driver = new FakeTimerDriver(t0);
    timers = new TimerService(driver);
    const config = alertingConfigSchema.parse({ SERVICE_MQTT_PASSWORD: randomSecret(), GRADING_INTERVAL_MS: String(10 * MIN), INFLUX_URL: 'http://127.0.0.1:9' });
    sut = new GradingJobService(timers, config, ds);
  });

  afterAll(async () => {
    await sut?.onApplicationShutdown();
    timers?.stop();
    await services?.stop();
  });

  it('grades the in-scope enterprises at start, as of the clock, for the Asia/Shanghai day', async () => {
    sut.onApplicationBootstrap();
    await advance(t0);
    // steel 50 × 0.3 = 15 + not connected 100 × 0.1 = 10 + 标准化二级 25 × 0.1 = 2.5 → 27.5, yellow
    expect((await rows()).map((r) => [r.enterprise_id, r.day, r.level, r.score, r.computed_at.getTime()])).toEqual([[steel, '2026-06-11', 'yellow', 27.5, t0]]);
    expect(sut.last).toMatchObject({ ran: true, day: '2026-06-11', graded: 1 });
  });

  it('does not grade a day twice: later runs of the day leave its row alone', async () => {
    await advance(t0 + 10 * MIN);
    expect(sut.last).toMatchObject({ day: '2026-06-11', graded: 0 });
    expect((await rows()).map((r) => r.computed_at.getTime())).toEqual([t0]);
  });

  it('writes the next day at the first run after Asia/Shanghai midnight, keeping the history', async () => {
    const midnight = Date.parse('2026-06-11T16:00:00Z'); // 2026-06-12 00:00 in Shanghai
    // the run due at 04:20 happens (the job re-arms only after a run), still on the 11th
    await advance(midnight - MIN);
    expect(sut.last).toMatchObject({ day: '2026-06-11', graded: 0 });
    // the next one, ten minutes later, is past midnight: the 12th gets its row
    await advance(midnight + 9 * MIN);
    expect(sut.last).toMatchObject({ day: '2026-06-12', graded: 1 });
    expect((await rows()).map((r) => [r.day, r.computed_at.getTime()])).toEqual([
      ['2026-06-11', t0],
      ['2026-06-12', midnight + 9 * MIN],
    ]);
  });
});
