import { Logger } from '@nestjs/common';
import type { GatewayRecord, PointRecord } from '@sw/persistence';
import { TOPICS, type NormalizedReading, type PointType, type Quality } from '@sw/sensors';
import type { IPoint } from 'influx';
import type { OutboundBusService } from '../broker/outbound-bus.service';
import { ingestConfigSchema } from '../config/ingest.config';
import type { GatewayRegistryService } from '../gateways/gateway-registry.service';
import type { GatewayStateService } from '../gateways/gateway-state.service';
import type { InfluxWriterService } from '../influx/influx-writer.service';
import { LineBatch } from '../influx/line-protocol';
import { MetricsService } from '../observability/metrics.service';
import type { PublishTarget, ReadingPublisherService } from './reading-publisher.service';
import { ReadingSinkService } from './reading-sink.service';
import { TelemetryService } from './telemetry.service';
import { randomSecret } from '@sw/testing';

const T0 = Date.UTC(2026, 10, 28, 10); // receipt time, epoch ms
const DAY = 86_400_000;

// rejections are logged at debug level; the assertions read the errors topic instead
beforeAll(() => Logger.overrideLogger(false));

/** Records the line-protocol lines and reads them back as points (the tag values here need no escaping). */
class FakeInflux implements Pick<InfluxWriterService, 'write'> {
  readonly points: IPoint[] = [];
  write(prefix: Uint8Array, value: number, quality: string, tsMs: number): void {
    const batch = new LineBatch();
    batch.add(prefix, value, quality, tsMs);
    const line = batch.toString().trimEnd();
    const [head = '', fieldPart = '', ts = ''] = line.split(' ');
    const [measurement = '', ...tagPairs] = head.split(',');
    const tags = Object.fromEntries(tagPairs.map((p) => p.split('=') as [string, string]));
    const fields = Object.fromEntries(
      fieldPart.split(',').map((p) => {
        const [k = '', v = ''] = p.split('=');
        return [k, v.startsWith('"') ? v.slice(1, -1) : Number(v)];
      }),
    );
    this.points.push({ measurement, tags, fields, timestamp: Number(ts) });
  }
}

class FakePublisher implements Pick<ReadingPublisherService, 'add' | 'targetOf'> {
  readonly readings: NormalizedReading[] = [];
  targetOf(pointId: string): PublishTarget {
    return { pointId, partition: 0, id: new Uint8Array() };
  }
  add(target: PublishTarget, ts: number, value: number, quality: Quality, receivedAt: number): void {
    this.readings.push({ pointId: target.pointId, ts, value, quality, receivedAt });
  }
}

class FakeState implements Pick<GatewayStateService, 'seen'> {
  readonly calls: Array<{ gatewayId: string; pointId: string; ts: number }> = [];
  seen(gatewayId: string, pointId: string, ts: number): void {
    this.calls.push({ gatewayId, pointId, ts });
  }
}

class FakeBus implements Pick<OutboundBusService, 'publish'> {
  readonly messages: Array<{ topic: string; payload: string; qos: 0 | 1 }> = [];
  publish(topic: string, payload: string, qos: 0 | 1): void {
    this.messages.push({ topic, payload, qos });
  }
  /** the error messages sent to a gateway, parsed */
  errorsFor(code: string): unknown[] {
    return this.messages.filter((m) => m.topic === TOPICS.errors(code)).map((m) => JSON.parse(m.payload) as unknown);
  }
}

const factory = {
  point: (code: string, type: PointType, id = `p-${code}`): PointRecord => ({
    id,
    code,
    type,
    unit: '',
    mandatory: true,
    expectedIntervalS: 60,
    register: null,
  }),
  gateway: (overrides: Partial<GatewayRecord> = {}): GatewayRecord => ({
    id: 'g-1',
    code: 'GW-1',
    protocol: 'mqtt',
    enterpriseId: 'e-1',
    regionCode: '320500',
    secretHash: null,
    modbus: null,
    points: new Map([
      ['CO-01', factory.point('CO-01', 'co')],
      ['SPARK-1', factory.point('SPARK-1', 'spark_detected')],
    ]),
    ...overrides,
  }),
  payload: (message: unknown) => Buffer.from(JSON.stringify(message), 'utf8'),
  sut: (registry?: Pick<GatewayRegistryService, 'get' | 'refresh'>) => {
    const influx = new FakeInflux();
    const publisher = new FakePublisher();
    const state = new FakeState();
    const bus = new FakeBus();
    const metrics = new MetricsService();
    const config = ingestConfigSchema.parse({ SERVICE_MQTT_PASSWORD: randomSecret() });
    const sink = new ReadingSinkService(
      influx as unknown as InfluxWriterService,
      publisher as unknown as ReadingPublisherService,
      state as unknown as GatewayStateService,
    );
    const sut = new TelemetryService(
      config,
      sink,
      bus as unknown as OutboundBusService,
      metrics,
      registry as GatewayRegistryService | undefined,
    );
    return { sut, influx, publisher, state, bus, metrics };
  },
};

async function counter(c: MetricsService['messagesDuplicate']): Promise<number> {
  return (await c.get()).values.reduce((sum, v) => sum + v.value, 0);
}

describe(TelemetryService.name, () => {
  it('writes valid readings to InfluxDB with the point tags, the value and the time in ms', () => {
    // docs/contracts.md §1: ts as ISO 8601 with an offset or epoch ms; the reading's ts wins over the message's
    const { sut, influx } = factory.sut();
    const gateway = factory.gateway();
    void sut.handle(
      gateway,
      factory.payload({
        ts: T0 - 60_000,
        readings: [
          { point: 'CO-01', value: 18.2 },
          { point: 'CO-01', value: 19.5, ts: '2026-11-28T17:59:30+08:00' },
        ],
      }),
      T0,
    );
    const tags = { enterprise: 'e-1', gateway: 'GW-1', point: 'p-CO-01', type: 'co', region: '320500' };
    expect(influx.points).toEqual([
      { measurement: 'reading', tags, fields: { value: 18.2 }, timestamp: T0 - 60_000 },
      { measurement: 'reading', tags, fields: { value: 19.5 }, timestamp: T0 - 30_000 },
    ]);
  });

  it('uses the time of receipt when neither the message nor the reading has a ts', () => {
    // docs/contracts.md §1: "Absent: the time of receipt"
    const { sut, influx } = factory.sut();
    void sut.handle(factory.gateway(), factory.payload({ readings: [{ point: 'CO-01', value: 1 }] }), T0);
    expect(influx.points[0]?.timestamp).toBe(T0);
  });

  it('stores the quality only when it is not good', () => {
    // docs/contracts.md §1: quality good (default), uncertain or bad; a bad reading is stored
    const { sut, influx } = factory.sut();
    void sut.handle(
      factory.gateway(),
      factory.payload({
        readings: [
          { point: 'CO-01', value: 1, ts: T0 - 3, quality: 'good' },
          { point: 'CO-01', value: 2, ts: T0 - 2, quality: 'uncertain' },
          { point: 'CO-01', value: 3, ts: T0 - 1, quality: 'bad' },
        ],
      }),
      T0,
    );
    expect(influx.points.map((p) => p.fields)).toEqual([{ value: 1 }, { value: 2, quality: 'uncertain' }, { value: 3, quality: 'bad' }]);
  });

  it('stores true/false of a digital point as 1/0', () => {
    // docs/contracts.md §1: "true/false for digital points (stored as 1/0)"
    const { sut, influx, publisher } = factory.sut();
    void sut.handle(
      factory.gateway(),
      factory.payload({ readings: [{ point: 'SPARK-1', value: true, ts: T0 - 1 }, { point: 'SPARK-1', value: false }] }),
      T0,
    );
    expect(influx.points.map((p) => p.fields)).toEqual([{ value: 1 }, { value: 0 }]);
    expect(publisher.readings.map((r) => r.value)).toEqual([1, 0]);
  });

  it('hands every accepted reading to alerting and to last-seen', () => {
    // docs/architecture.md nothing lost: an accepted reading reaches InfluxDB *and* the rules engine
    const { sut, publisher, state } = factory.sut();
    void sut.handle(factory.gateway(), factory.payload({ readings: [{ point: 'CO-01', value: 18.2, quality: 'uncertain', ts: T0 - 5 }] }), T0);
    expect(publisher.readings).toEqual([
      { pointId: 'p-CO-01', ts: T0 - 5, value: 18.2, quality: 'uncertain', receivedAt: T0 },
    ]);
    expect(state.calls).toEqual([{ gatewayId: 'g-1', pointId: 'p-CO-01', ts: T0 - 5 }]);
  });

  it('stores two readings of one point with the same millisecond once, the later winning', () => {
    // docs/contracts.md §1: "Two readings of one point with the same millisecond are one reading (the later wins)"
    const { sut, influx, bus } = factory.sut();
    void sut.handle(factory.gateway(), factory.payload({ readings: [{ point: 'CO-01', value: 1 }, { point: 'CO-01', value: 2 }] }), T0);
    expect(influx.points.map((p) => p.fields)).toEqual([{ value: 2 }]);
    expect(bus.messages).toEqual([]);
  });

  it('publishes no errors for a message whose readings are all valid', () => {
    // docs/contracts.md §1: the errors topic says why something was rejected, so nothing when nothing was
    const { sut, bus } = factory.sut();
    void sut.handle(factory.gateway(), factory.payload({ seq: 1, readings: [{ point: 'CO-01', value: 1 }, { point: 'SPARK-1', value: 0 }] }), T0);
    expect(bus.messages).toEqual([]);
  });

  it('rejects an unknown point, a wrong value kind and a too old reading one by one and keeps the valid ones', () => {
    // docs/contracts.md §1: valid readings of a message are accepted even when others in it are not; one error each
    const { sut, influx, bus } = factory.sut();
    void sut.handle(
      factory.gateway(),
      factory.payload({
        seq: 17,
        readings: [
          { point: 'CO-01', value: 18.2 },
          { point: 'CO-9', value: 1 },
          { point: 'CO-01', value: true, ts: T0 - 10 },
          { point: 'SPARK-1', value: 2, ts: T0 - 20 },
          { point: 'CO-01', value: 5, ts: T0 - 401 * DAY },
          { point: 'SPARK-1', value: 1 },
        ],
      }),
      T0,
    );
    expect(influx.points.map((p) => [p.tags?.['point'], p.fields?.['value']])).toEqual([
      ['p-CO-01', 18.2],
      ['p-SPARK-1', 1],
    ]);
    expect(bus.messages.map((m) => [m.topic, m.qos])).toEqual([['v1/gateways/GW-1/errors', 1]]);
    expect(bus.errorsFor('GW-1')).toEqual([
      {
        seq: 17,
        errors: [
          { point: 'CO-9', reason: 'unknown point' },
          { point: 'CO-01', reason: 'value true/false is only for digital points' },
          { point: 'SPARK-1', reason: 'value of a digital point must be 0, 1, true or false' },
          { point: 'CO-01', reason: 'ts is older than the 400-day retention period' },
        ],
      },
    ]);
  });

  it('accepts a reading exactly at the retention limit', () => {
    // docs/contracts.md §1: older data (store-and-forward after an outage) is accepted and stored
    const { sut, influx, bus } = factory.sut();
    void sut.handle(factory.gateway(), factory.payload({ readings: [{ point: 'CO-01', value: 1, ts: T0 - 400 * DAY }] }), T0);
    expect(influx.points).toHaveLength(1);
    expect(bus.messages).toEqual([]);
  });

  it('answers invalid JSON with one error without point and seq null, and writes nothing', () => {
    // docs/contracts.md §1: `seq` is null when the message had none; no `point` when the whole message is rejected
    const { sut, influx, publisher, state, bus } = factory.sut();
    void sut.handle(factory.gateway(), Buffer.from('{"seq": 3, "readings": [', 'utf8'), T0);
    expect(bus.errorsFor('GW-1')).toEqual([{ seq: null, errors: [{ reason: 'invalid JSON' }] }]);
    expect(influx.points).toEqual([]);
    expect(publisher.readings).toEqual([]);
    expect(state.calls).toEqual([]);
  });

  it('answers a message rejected as a whole with its seq', () => {
    // docs/contracts.md §1: `{"seq": 17, "errors": [...]}`; no `point` when the whole message is rejected
    const { sut, influx, bus } = factory.sut();
    void sut.handle(factory.gateway(), factory.payload({ seq: 4, readings: [] }), T0);
    expect(bus.errorsFor('GW-1')).toEqual([{ seq: 4, errors: [{ reason: 'readings must be a non-empty array' }] }]);
    expect(influx.points).toEqual([]);
  });

  it('ignores and counts a duplicate: same seq and message ts', async () => {
    // docs/contracts.md §1: repeating both seq and ts of a message from the same gateway (QoS 1 redelivery) is ignored
    const { sut, influx, publisher, bus, metrics } = factory.sut();
    const payload = factory.payload({ seq: 5, ts: T0 - 1000, readings: [{ point: 'CO-01', value: 1 }, { point: 'CO-9', value: 1 }] });
    void sut.handle(factory.gateway(), payload, T0);
    void sut.handle(factory.gateway(), payload, T0 + 2000);
    expect(influx.points).toHaveLength(1);
    expect(publisher.readings).toHaveLength(1);
    expect(bus.messages).toHaveLength(1);
    expect(await counter(metrics.messagesDuplicate)).toBe(1);
    expect(await counter(metrics.messagesReceived)).toBe(2);
  });

  it('keeps a message with a repeated seq but a new ts, and the same message from another gateway', () => {
    // docs/contracts.md §1: "a gateway that restarts its seq after a reboot loses nothing"; duplicates are per gateway
    const { sut, influx } = factory.sut();
    void sut.handle(factory.gateway(), factory.payload({ seq: 5, ts: T0 - 1000, readings: [{ point: 'CO-01', value: 1 }] }), T0);
    void sut.handle(factory.gateway(), factory.payload({ seq: 5, ts: T0 - 500, readings: [{ point: 'CO-01', value: 2 }] }), T0);
    void sut.handle(factory.gateway({ code: 'GW-2' }), factory.payload({ seq: 5, ts: T0 - 1000, readings: [{ point: 'CO-01', value: 3 }] }), T0);
    expect(influx.points.map((p) => p.fields?.['value'])).toEqual([1, 2, 3]);
  });

  it('counts accepted readings and rejections by reason', async () => {
    // docs/contracts.md §1: every rejection is counted in metrics
    const { sut, metrics } = factory.sut();
    void sut.handle(factory.gateway(), factory.payload({ readings: [{ point: 'CO-01', value: 1 }, { point: 'X-1', value: 1 }, { point: 'X-2', value: 1 }] }), T0);
    void sut.handle(factory.gateway(), Buffer.from('nope'), T0);
    expect(await counter(metrics.readingsReceived)).toBe(1);
    const rejected = (await metrics.readingsRejected.get()).values.map((v) => [v.labels['reason'], v.value]);
    expect(rejected).toEqual([
      ['unknown point', 2],
      ['invalid JSON', 1],
    ]);
  });

  it('never throws, whatever the payload', () => {
    // docs/contracts.md §1: a rejection "never stops the process"
    const { sut, bus } = factory.sut();
    const payloads = [
      Buffer.from([0xff, 0xfe, 0x00]),
      Buffer.alloc(0),
      Buffer.from('null'),
      Buffer.from('[1,2]'),
      Buffer.from('{"readings": [null, 1, "x", {"point": "CO-01", "value": 1e999}]}'),
      Buffer.alloc(300 * 1024, 0x20),
    ];
    for (const payload of payloads) expect(() => sut.handle(factory.gateway(), payload, T0)).not.toThrow();
    expect(bus.messages).toHaveLength(payloads.length);
  });

  it('tells a gateway why a message was refused before decoding', () => {
    // docs/contracts.md §1: a rejected message is answered on the errors topic, seq null, no point
    const { sut, bus } = factory.sut();
    sut.rejectMessage('GW-1', 'gateway is not registered');
    expect(bus.messages).toEqual([{ topic: 'v1/gateways/GW-1/errors', payload: '{"seq":null,"errors":[{"reason":"gateway is not registered"}]}', qos: 1 }]);
  });

  describe('read-your-writes', () => {
    // issue 14: readings of a point registered a moment ago (its NOTIFY not applied yet) are accepted
    /** PostgreSQL answers after `release()`: the registry's refresh is pending until then. */
    const registryWith = (committed: GatewayRecord) => {
      let release = (): void => undefined;
      const gate = new Promise<void>((r) => (release = r));
      let cached: GatewayRecord | undefined;
      const registry = {
        refreshes: 0,
        get: () => cached,
        refresh: async () => {
          registry.refreshes++;
          await gate;
          cached = committed;
          return committed;
        },
      };
      return { registry, release };
    };
    const flush = () => new Promise((r) => setImmediate(r));

    it('asks PostgreSQL about an unknown point before refusing it, and keeps the gateway\'s order meanwhile', async () => {
      const fresh = factory.gateway({ points: new Map([...factory.gateway().points, ['NEW-1', factory.point('NEW-1', 'co')]]) });
      const { registry, release } = registryWith(fresh);
      const { sut, publisher, bus } = factory.sut(registry);
      void sut.handle(factory.gateway(), factory.payload({ seq: 1, readings: [{ point: 'NEW-1', value: 30, ts: T0 - 2 }, { point: 'CO-01', value: 1, ts: T0 - 2 }] }), T0);
      void sut.handle(factory.gateway(), factory.payload({ seq: 2, readings: [{ point: 'CO-01', value: 2, ts: T0 - 1 }] }), T0);
      await flush();
      expect(publisher.readings).toEqual([]); // the second message waits behind the first
      release();
      await flush();
      expect(publisher.readings.map((r) => [r.pointId, r.value])).toEqual([['p-NEW-1', 30], ['p-CO-01', 1], ['p-CO-01', 2]]);
      expect(bus.messages).toEqual([]);
      expect(registry.refreshes).toBe(1);
    });

    it('still refuses a point PostgreSQL does not know either', async () => {
      const { registry, release } = registryWith(factory.gateway());
      const { sut, publisher, bus } = factory.sut(registry);
      release();
      void sut.handle(factory.gateway(), factory.payload({ seq: 3, readings: [{ point: 'NOPE', value: 1 }, { point: 'CO-01', value: 1 }] }), T0);
      await flush();
      expect(publisher.readings.map((r) => r.pointId)).toEqual(['p-CO-01']);
      expect(bus.errorsFor('GW-1')).toEqual([{ seq: 3, errors: [{ point: 'NOPE', reason: 'unknown point' }] }]);
    });
  });
});
