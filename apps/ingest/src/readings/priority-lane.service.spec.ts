import type { PointRecord } from '@sw/persistence';
import { decodePriorityReading, type PriorityReading } from '@sw/sensors';
import { randomSecret } from '@sw/testing';
import type { OutboundBusService } from '../broker/outbound-bus.service';
import { ingestConfigSchema } from '../config/ingest.config';
import { MetricsService } from '../observability/metrics.service';
import { PriorityLaneService } from './priority-lane.service';

const T0 = Date.UTC(2026, 11, 4, 9);

const factory = {
  point: (over: Partial<PointRecord> = {}): PointRecord => ({ id: 'p-co', code: 'CO-01', type: 'co', unit: 'ppm', mandatory: true, expectedIntervalS: 10, register: null, ...over }),
  sut: (env: Record<string, string> = {}) => {
    const sent: { topic: string; reading: PriorityReading | null; qos: number }[] = [];
    const bus = { publish: (topic: string, payload: string, qos: 0 | 1) => sent.push({ topic, reading: decodePriorityReading(payload), qos }) } as unknown as OutboundBusService;
    const sut = new PriorityLaneService(ingestConfigSchema.parse({ SERVICE_MQTT_PASSWORD: randomSecret(), PRIORITY_LANE: 'true', ...env }), bus, new MetricsService());
    return { sut, sent };
  },
};

describe(PriorityLaneService.name, () => {
  const target = { pointId: 'p-co', partition: 3, id: new Uint8Array() };

  it('sends the crossing and the reading after it at once, naming the reading before; readings far from the setpoints stay batched', () => {
    // docs/architecture.md alarm fast lane; CO yellow 24 ppm
    const { sut, sent } = factory.sut();
    const point = factory.point();
    const values = [5, 6, 30, 31, 5, 6];
    values.forEach((v, i) => sut.consider(point, target, T0 + i * 1000, v, 'good', T0 + i * 1000 + 2));
    expect(sent.map((s) => s.reading?.value)).toEqual([30, 31, 5]);
    expect(sent[0]).toMatchObject({ topic: 'internal/priority/3', qos: 0, reading: { ts: T0 + 2000, receivedAt: T0 + 2002, prevTs: T0 + 1000, prevReceivedAt: T0 + 1002 } });
  });

  it('follows the point\u2019s own setpoints over the catalog\u2019s', () => {
    const { sut, sent } = factory.sut();
    const point = factory.point({ thresholds: { high: { yellow: 10 } } });
    sut.consider(point, target, T0, 1, 'good', T0);
    sut.consider(point, target, T0 + 1000, 12, 'good', T0 + 1000);
    expect(sent).toHaveLength(1);
  });

  it('sends a digital point\u2019s change, and nothing when the lane is off', () => {
    const { sut, sent } = factory.sut();
    const spark = factory.point({ id: 'p-spark', type: 'spark_detected' });
    [0, 0, 1, 1, 0].forEach((v, i) => sut.consider(spark, { ...target, pointId: 'p-spark' }, T0 + i, v, 'good', T0 + i));
    expect(sent.map((s) => s.reading?.value)).toEqual([1, 0]);

    const off = factory.sut({ PRIORITY_LANE: 'false' });
    [5, 30].forEach((v, i) => off.sut.consider(factory.point(), target, T0 + i, v, 'good', T0 + i));
    expect(off.sent).toEqual([]);
  });
});
