import type { AlarmCommitService } from '../alarms/alarm-commit.service';
import type { BrokerService } from '../broker/broker.service';
import type { TimerService } from '../timers/timer.service';
import type { PartitionHandoverService } from './partition-handover.service';
import { PipelineService } from './pipeline.service';
import type { RegistryChangeService } from './registry-change.service';
import type { RuleStateWriterService } from './rule-state-writer.service';

describe(PipelineService.name, () => {
  let calls: string[];
  let sut: PipelineService;

  beforeEach(() => {
    calls = [];
    const step = (name: string) => () => {
      calls.push(name);
      return Promise.resolve();
    };
    const changes = { start: step('registry.start'), stop: step('registry.stop') } as unknown as RegistryChangeService;
    const handover = { start: step('leases.start'), stop: step('leases.stop') } as unknown as PartitionHandoverService;
    const broker = { start: step('broker.start'), stop: step('broker.stop') } as unknown as BrokerService;
    const timers = { stop: () => void calls.push('timers.stop') } as unknown as TimerService;
    const commits = { drain: step('commits.drain') } as unknown as AlarmCommitService;
    const writer = { stop: step('writer.stop') } as unknown as RuleStateWriterService;
    sut = new PipelineService(changes, handover, broker, timers, commits, writer);
  });

  it('starts the registry, then the control session, then takes partitions (docs/architecture.md "Scale-out": restored before consumed)', async () => {
    await sut.onApplicationBootstrap();
    expect(calls).toEqual(['registry.start', 'broker.start', 'leases.start']);
  });

  it('stops in the order that loses nothing: partitions handed over first, the registry last', async () => {
    await sut.beforeApplicationShutdown();
    expect(calls).toEqual(['leases.stop', 'broker.stop', 'timers.stop', 'commits.drain', 'writer.stop', 'registry.stop']);
  });
});
