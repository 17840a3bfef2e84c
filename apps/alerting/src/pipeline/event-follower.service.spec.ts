import type { AlarmSnapshot } from '@sw/rules';
import { partitionOf, TOPICS } from '@sw/sensors';
import { AlarmTrackerService } from '../alarms/alarm-tracker.service';
import type { BrokerService, MessageHandler } from '../broker/broker.service';
import type { AlertingConfig } from '../config/alerting.config';
import { MetricsService } from '../observability/metrics.service';
import { factory } from '../testing/alerting-test.factory';
import { EventFollowerService } from './event-follower.service';
import { PartitionOwnershipService } from './partition-ownership.service';

const P = 4;
const ids = ['00000000-0000-4000-8000-000000000001', '00000000-0000-4000-8000-000000000002', '00000000-0000-4000-8000-000000000003', '00000000-0000-4000-8000-000000000004', '00000000-0000-4000-8000-000000000005'];
const mineId = ids.find((id) => partitionOf(id, P) === 0) as string;
const otherId = ids.find((id) => partitionOf(id, P) !== 0) as string;

describe(EventFollowerService.name, () => {
  let routes: Map<string, MessageHandler>;
  let tracker: AlarmTrackerService;

  const committed = (alarm: AlarmSnapshot): Buffer =>
    Buffer.from(JSON.stringify(factory.committedEvent({ alarm })));

  beforeEach(() => {
    routes = new Map();
    tracker = new AlarmTrackerService();
    const broker = { route: (filter: string, handler: MessageHandler) => routes.set(filter, handler) } as unknown as BrokerService;
    const ownership = new PartitionOwnershipService({ READING_PARTITIONS: P } as AlertingConfig);
    ownership.own([0]);
    new EventFollowerService(broker, ownership, tracker, new MetricsService()).onModuleInit();
  });

  it('follows the committed events of owned points on internal/events into the tracker (docs/architecture.md "Alarms")', () => {
    const handler = routes.get(TOPICS.events);
    void handler?.(TOPICS.events, committed(factory.alarm({ id: 'a-mine', pointId: mineId, acknowledged: true })));
    void handler?.(TOPICS.events, committed(factory.alarm({ id: 'a-other', pointId: otherId })));
    void handler?.(TOPICS.events, Buffer.from('not json'));
    expect([...tracker.all()].map((a) => [a.id, a.acknowledged])).toEqual([['a-mine', true]]);
  });
});
