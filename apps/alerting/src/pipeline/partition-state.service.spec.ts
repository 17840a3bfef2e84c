import { Logger } from '@nestjs/common';
import type { EvaluationPoint } from '@sw/persistence';
import type { AlarmSnapshot } from '@sw/rules';
import { partitionOf } from '@sw/sensors';
import type { MaintenanceService } from '../alarms/maintenance.service';
import type { AlertingConfig } from '../config/alerting.config';
import type { PointRegistryService } from '../points/point-registry.service';
import { T0, factory } from '../testing/alerting-test.factory';
import type { TimerService } from '../timers/timer.service';
import type { PartitionAlarmsService } from './partition-alarms.service';
import { PartitionOwnershipService } from './partition-ownership.service';
import type { PartitionRuleStatesService, PersistedRuleState } from './partition-rule-states.service';
import { PartitionStateService } from './partition-state.service';

const P = 4;
// two points in different partitions
const points = ['p-a', 'p-b', 'p-c', 'p-d', 'p-e', 'p-f'].map((id) => factory.point({ id }));
const [mine, other] = [points.find((p) => partitionOf(p.id, P) === 0), points.find((p) => partitionOf(p.id, P) !== 0)] as [EvaluationPoint, EvaluationPoint];

describe(PartitionStateService.name, () => {
  let calls: string[];
  let ownership: PartitionOwnershipService;
  let sut: PartitionStateService;

  beforeEach(() => {
    jest.spyOn(Logger.prototype, 'log').mockImplementation(() => undefined);
    calls = [];
    ownership = new PartitionOwnershipService({ READING_PARTITIONS: P } as AlertingConfig);
    const registry = { all: () => [mine, other].values() } as unknown as PointRegistryService;
    const alarm = factory.alarm({ pointId: mine.id });
    const alarms = {
      size: 1,
      load: () => (calls.push('alarms.load'), Promise.resolve([alarm])),
      track: (list: AlarmSnapshot[], ps: Set<number>) => calls.push(`alarms.track ${list.length} of [${[...ps].join(',')}]`),
      reconcile: (ps: Set<number>, now: number) => calls.push(`alarms.reconcile [${[...ps].join(',')}] at ${now - T0}`),
      untrackDisowned: () => calls.push('alarms.untrack'),
    } as unknown as PartitionAlarmsService;
    const persisted: PersistedRuleState[] = [];
    const ruleStates = {
      size: 0,
      load: (ps: EvaluationPoint[]) => (calls.push(`states.load ${ps.map((p) => p.id).join(',')}`), Promise.resolve(persisted)),
      adopt: (ps: EvaluationPoint[], _rows: PersistedRuleState[], now: number) => calls.push(`states.adopt ${ps.map((p) => p.id).join(',')} at ${now - T0}`),
      dropDisowned: (lost: boolean) => calls.push(`states.drop lost=${lost} owns ${mine.id}: ${ownership.ownsPoint(mine.id)}`),
      reindex: () => calls.push('states.reindex'),
      written: () => (calls.push('states.written'), Promise.resolve()),
    } as unknown as PartitionRuleStatesService;
    const maintenance = { sync: (id: string) => calls.push(`maintenance.sync ${id}`) } as unknown as MaintenanceService;
    const timers = { now: () => T0 + 5 } as unknown as TimerService;
    sut = new PartitionStateService(ownership, registry, alarms, ruleStates, maintenance, timers);
  });

  it('restores only the partitions taken: alarms and states read together, states adopted, alarms reconciled with them, then maintenance', async () => {
    // docs/architecture.md "Scale-out": the taker restores the partition's rule states and open alarms from PostgreSQL
    await sut.restore([0]);
    expect(ownership.owns(0)).toBe(true);
    expect(calls).toEqual([
      'alarms.load',
      `states.load ${mine.id}`,
      'alarms.track 1 of [0]',
      `states.adopt ${mine.id} at 5`,
      'alarms.reconcile [0] at 5',
      `maintenance.sync ${mine.id}`,
    ]);
  });

  it('releases after giving up ownership: states marked and dropped, alarms untracked, then written', async () => {
    await sut.restore([0]);
    calls = [];
    await sut.release([0], false);
    expect(ownership.owns(0)).toBe(false);
    expect(calls).toEqual([`states.drop lost=false owns ${mine.id}: false`, 'alarms.untrack', 'states.reindex', 'states.written']);
  });
});
