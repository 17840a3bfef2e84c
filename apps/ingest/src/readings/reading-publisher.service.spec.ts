import { decodeReadingBatch, partitionOf, TOPICS, type NormalizedReading } from '@sw/sensors';
import type { OutboundBusService } from '../broker/outbound-bus.service';
import { ingestConfigSchema } from '../config/ingest.config';
import { MetricsService } from '../observability/metrics.service';
import { ReadingPublisherService } from './reading-publisher.service';
import { randomSecret } from '@sw/testing';

const T0 = Date.UTC(2026, 10, 28, 10);
const PARTITIONS = 16;

class FakeBus implements Pick<OutboundBusService, 'publish'> {
  readonly messages: Array<{ topic: string; payload: string | Buffer; qos: 0 | 1 }> = [];
  publish(topic: string, payload: string | Buffer, qos: 0 | 1): void {
    this.messages.push({ topic, payload, qos });
  }
}

const nextTurn = () => new Promise(setImmediate);

const factory = {
  reading: (overrides: Partial<NormalizedReading> = {}): NormalizedReading => ({
    pointId: 'p-1',
    ts: T0,
    value: 18.2,
    quality: 'good',
    receivedAt: T0 + 5,
    ...overrides,
  }),
  /** `n` point ids, each in a different partition from the others */
  pointsInDistinctPartitions: (n: number): string[] => {
    const byPartition = new Map<number, string>();
    for (let i = 0; byPartition.size < n; i++) {
      const id = `p-${i}`;
      const p = partitionOf(id, PARTITIONS);
      if (!byPartition.has(p)) byPartition.set(p, id);
    }
    return [...byPartition.values()];
  },
  sut: () => {
    const bus = new FakeBus();
    const metrics = new MetricsService();
    const config = ingestConfigSchema.parse({ SERVICE_MQTT_PASSWORD: randomSecret(), READING_PARTITIONS: PARTITIONS });
    const publisher = new ReadingPublisherService(config, bus as unknown as OutboundBusService, metrics);
    const sut = {
      add: (r: NormalizedReading) => publisher.add(publisher.targetOf(r.pointId), r.ts, r.value, r.quality, r.receivedAt),
    };
    return { sut, bus, metrics };
  },
};

describe(ReadingPublisherService.name, () => {
  it('publishes a bad reading without a value, which alerting receives as null', async () => {
    // docs/contracts.md §2: a failed register read is a bad reading with no value
    const { sut, bus } = factory.sut();
    sut.add(factory.reading({ value: Number.NaN, quality: 'bad' }));
    await nextTurn();
    expect(decodeReadingBatch(bus.messages[0]!.payload)).toEqual([factory.reading({ value: null as unknown as number, quality: 'bad' })]);
  });

  it("carries the point id only: alerting knows the point's gateway and enterprise from its registry", async () => {
    // issue 8: a reading costs ~60 bytes on the partition topic instead of three ids in JSON
    const { sut, bus } = factory.sut();
    sut.add(factory.reading({ pointId: '00000000-0000-4000-8000-000000000001' }));
    await nextTurn();
    expect(bus.messages[0]!.payload.length).toBe(5 + 1 + 36 + 25);
  });

  it('publishes the readings of one event-loop turn on the next turn, not before', async () => {
    // docs/architecture.md nothing lost: an accepted reading reaches the rules engine (batched per event-loop turn)
    const { sut, bus } = factory.sut();
    sut.add(factory.reading({ value: 1 }));
    sut.add(factory.reading({ value: 2 }));
    expect(bus.messages).toEqual([]);
    await nextTurn();
    expect(bus.messages).toHaveLength(1);
    expect(decodeReadingBatch(bus.messages[0]!.payload).map((r) => r.value)).toEqual([1, 2]);
  });

  it('groups readings by partition and publishes each group on internal/readings/{p}', async () => {
    // docs/architecture.md broker: normalized readings on `internal/readings/{partition}`, partition = hash(point) mod P
    const { sut, bus } = factory.sut();
    const [a, b, c] = factory.pointsInDistinctPartitions(3) as [string, string, string];
    const readings = [a, b, a, c, b].map((pointId, i) => factory.reading({ pointId, ts: T0 + i }));
    for (const r of readings) sut.add(r);
    await nextTurn();
    const byTopic = new Map(bus.messages.map((m) => [m.topic, decodeReadingBatch(m.payload)]));
    expect(bus.messages).toHaveLength(3);
    for (const pointId of [a, b, c]) {
      expect(byTopic.get(TOPICS.readings(partitionOf(pointId, PARTITIONS)))).toEqual(readings.filter((r) => r.pointId === pointId));
    }
    expect(bus.messages.every((m) => m.qos === 1)).toBe(true);
  });

  it('publishes readings that decode to exactly what was added', async () => {
    // docs/architecture.md nothing lost: ids, time, value, quality and receipt time reach alerting unchanged
    const { sut, bus } = factory.sut();
    const readings = [
      factory.reading({ value: -3.25, quality: 'good' }),
      factory.reading({ ts: T0 + 1, value: 0, quality: 'uncertain' }),
      factory.reading({ ts: T0 + 2, value: 1, quality: 'bad', receivedAt: T0 + 10 }),
    ];
    for (const r of readings) sut.add(r);
    await nextTurn();
    expect(bus.messages.map((m) => m.topic)).toEqual([TOPICS.readings(partitionOf('p-1', PARTITIONS))]);
    expect(decodeReadingBatch(bus.messages[0]!.payload)).toEqual(readings);
  });

  it('sends a full batch of 1,000 at once, without waiting for the next turn', async () => {
    // docs/architecture.md nothing lost + reading-publisher.service.ts: at most 1,000 a message, a full one goes out at once
    const { sut, bus } = factory.sut();
    for (let i = 0; i < 1000; i++) sut.add(factory.reading({ ts: T0 + i }));
    expect(bus.messages).toHaveLength(1);
    expect(decodeReadingBatch(bus.messages[0]!.payload)).toHaveLength(1000);
    await nextTurn();
    expect(bus.messages).toHaveLength(1);
  });

  it('splits a larger turn into messages of at most 1,000', async () => {
    // docs/architecture.md nothing lost + reading-publisher.service.ts: at most 1,000 a message, none left behind
    const { sut, bus } = factory.sut();
    for (let i = 0; i < 2500; i++) sut.add(factory.reading({ ts: T0 + i }));
    expect(bus.messages).toHaveLength(2);
    await nextTurn();
    const batches = bus.messages.map((m) => decodeReadingBatch(m.payload));
    expect(batches.map((b) => b.length)).toEqual([1000, 1000, 500]);
    expect(batches.flat().map((r) => r.ts)).toEqual(Array.from({ length: 2500 }, (_, i) => T0 + i));
  });

  it('publishes again on a later turn, and nothing for a turn without readings', async () => {
    // docs/architecture.md nothing lost + reading-publisher.service.ts: a quiet system adds no delay
    const { sut, bus } = factory.sut();
    sut.add(factory.reading({ value: 1 }));
    await nextTurn();
    await nextTurn();
    sut.add(factory.reading({ value: 2 }));
    await nextTurn();
    expect(bus.messages.map((m) => decodeReadingBatch(m.payload).map((r) => r.value))).toEqual([[1], [2]]);
  });

  it('counts the published readings', async () => {
    // docs/contracts.md §4: `GET /metrics` on every app; published readings are counted
    const { sut, metrics } = factory.sut();
    for (let i = 0; i < 3; i++) sut.add(factory.reading({ ts: T0 + i }));
    await nextTurn();
    expect((await metrics.readingsPublished.get()).values[0]?.value).toBe(3);
  });
});
