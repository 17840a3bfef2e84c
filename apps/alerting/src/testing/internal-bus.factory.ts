// For integration specs: the other side of alerting's topics, as ingest and api use them, and the
// registry rows alerting evaluates. Real MQTT and real PostgreSQL; no @sw/testing here (app code).
import { decodeCommittedEvent, RegistryService, type CommittedEvent, type CreatePointInput } from '@sw/persistence';
import { TOPICS, encodeReadingBatch, partitionOf, type NormalizedReading } from '@sw/sensors';
import mqtt, { type MqttClient } from 'mqtt';
import type { DataSource } from 'typeorm';

export interface SeededGateway {
  enterpriseId: string;
  gatewayId: string;
}

/** An enterprise (region 320505) with one MQTT gateway. */
export async function seedGateway(ds: DataSource, uscc: string, code: string): Promise<SeededGateway> {
  const registry = new RegistryService(ds);
  const enterprise = await registry.createEnterprise({ name: `企业${code}`, uscc, regionCode: '320505', riskCategories: ['steel'] });
  const { gateway } = await registry.createGateway(enterprise.id, { code, protocol: 'mqtt' });
  return { enterpriseId: enterprise.id, gatewayId: gateway.id };
}

/** A point on the gateway; its id. */
export async function seedPoint(ds: DataSource, gw: SeededGateway, input: Omit<CreatePointInput, 'name'> & { name?: string }): Promise<string> {
  const point = await new RegistryService(ds).createPoint(gw.gatewayId, { name: input.code, ...input });
  return point.id;
}

/** A client of the internal topics: publishes readings as ingest does, events as api does, and records `internal/events`. */
export class InternalBus {
  readonly events: CommittedEvent[] = [];
  /** Payloads on `internal/events` that the committed-event schema refused (api would drop them). */
  readonly rejected: string[] = [];

  private constructor(
    private readonly client: MqttClient,
    private readonly partitions: number,
  ) {
    client.on('message', (topic, payload) => {
      if (topic !== TOPICS.events) return;
      const event = decodeCommittedEvent(payload);
      if (event) this.events.push(event);
      else this.rejected.push(payload.toString());
    });
  }

  static async connect(url: string, partitions = 16): Promise<InternalBus> {
    const client = await mqtt.connectAsync(url, { clientId: `internal-bus-${process.pid}-${Date.now()}`, reconnectPeriod: 0, protocolVersion: 4 });
    await client.subscribeAsync(TOPICS.events, { qos: 1 });
    return new InternalBus(client, partitions);
  }

  /** One batch per partition, QoS 1, as ingest's ReadingPublisherService sends them (a batch carries point ids only; the gateway stays in the signature for the callers). */
  async readings(_gw: SeededGateway, ...readings: { pointId: string; value: number; ts?: number; quality?: NormalizedReading['quality'] }[]): Promise<void> {
    const now = Date.now();
    const byPartition = new Map<number, NormalizedReading[]>();
    for (const r of readings) {
      const p = partitionOf(r.pointId, this.partitions);
      const full: NormalizedReading = { ts: now, quality: 'good', receivedAt: now, ...r };
      byPartition.set(p, [...(byPartition.get(p) ?? []), full]);
    }
    for (const [p, batch] of byPartition) await this.client.publishAsync(TOPICS.readings(p), Buffer.from(encodeReadingBatch(batch)), { qos: 1 });
  }

  /** Announces events committed elsewhere (what api does after an ack, a shelve, a close). */
  async announce(events: readonly CommittedEvent[]): Promise<void> {
    for (const e of events) await this.client.publishAsync(TOPICS.events, JSON.stringify(e), { qos: 1 });
  }

  /** The events seen so far for a point, optionally of one kind. */
  of(pointId: string, event?: CommittedEvent['event']): CommittedEvent[] {
    return this.events.filter((e) => e.alarm.pointId === pointId && (event === undefined || e.event === event));
  }

  async close(): Promise<void> {
    await this.client.endAsync(true);
  }
}
