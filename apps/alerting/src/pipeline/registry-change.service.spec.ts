import { Logger } from '@nestjs/common';
import type { EvaluationPoint } from '@sw/persistence';
import { partitionOf } from '@sw/sensors';
import type { MaintenanceService } from '../alarms/maintenance.service';
import type { AlertingConfig } from '../config/alerting.config';
import { MetricsService } from '../observability/metrics.service';
import type { PointRegistryService } from '../points/point-registry.service';
import { T0, factory } from '../testing/alerting-test.factory';
import type { TimerService } from '../timers/timer.service';
import type { EvaluationService } from './evaluation.service';
import { PartitionOwnershipService } from './partition-ownership.service';
import { RegistryChangeService } from './registry-change.service';

const P = 4;
const points = ['p-a', 'p-b', 'p-c', 'p-d', 'p-e', 'p-f'].map((id) => factory.point({ id }));
const [mine, other] = [points.find((p) => partitionOf(p.id, P) === 0), points.find((p) => partitionOf(p.id, P) !== 0)] as [EvaluationPoint, EvaluationPoint];

describe(RegistryChangeService.name, () => {
  let loads: string[];
  let updated: string[];
  let finishLoad: () => void;
  let sut: RegistryChangeService;

  beforeEach(() => {
    jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    loads = [];
    updated = [];
    const slots = new Set<string>();
    const ownership = new PartitionOwnershipService({ READING_PARTITIONS: P } as AlertingConfig);
    ownership.own([0]);
    const registry = {
      get: () => undefined,
      load: (id: string) => {
        loads.push(id);
        return new Promise<EvaluationPoint | null>((r) => (finishLoad = () => r(id === mine.id ? mine : null)));
      },
      rulesFor: () => [],
    } as unknown as PointRegistryService;
    const evaluation = {
      slot: (id: string) => (slots.has(id) ? {} : undefined),
      all: () => [].values(),
      update: (p: EvaluationPoint) => (updated.push(p.id), slots.add(p.id)),
      reindex: () => undefined,
    } as unknown as EvaluationService;
    const maintenance = { sync: () => undefined } as unknown as MaintenanceService;
    const timers = { now: () => T0 } as unknown as TimerService;
    sut = new RegistryChangeService(registry, evaluation, ownership, maintenance, timers, new MetricsService());
  });

  it('adopts a point a reading names before its NOTIFY, loading it once however many readings wait for it', async () => {
    const first = sut.adoptUnknown([mine.id]);
    const second = sut.adoptUnknown([mine.id]);
    await Promise.resolve();
    finishLoad();
    await Promise.all([first, second]);
    expect(loads).toEqual([mine.id]);
    expect(updated).toEqual([mine.id]);
  });

  it('leaves a point of a partition it does not own to its owner', async () => {
    await sut.adoptUnknown([other.id]);
    expect(loads).toEqual([]);
    expect(updated).toEqual([]);
  });
});
