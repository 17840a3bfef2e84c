import { waitFor } from '@sw/testing';
import mqtt from 'mqtt';
import type { LoadGateway, LoadResult } from '../load/load-generator';
import { startLoad, startRelay, stop } from '../support/children';
import { CpuMeter, rssBytes } from '../support/proc-stats';

export interface RelayStepOptions {
  gateways: LoadGateway[];
  perMessage: number;
  durationMs: number;
  window: number;
  tsBase: number;
  /** messages/s over all connections (0 = as fast as acknowledged) */
  rate?: number;
}

export interface RelayStepResult {
  messages: number;
  readings: number;
  readingsPerS: number;
  messagesPerS: number;
  cpuCores: Record<string, number>;
  rssMB: number;
}

/**
 * The same workload relayed by bare aedes (no auth, no processing) to one QoS 1 subscriber, the
 * reference a pipeline is compared to. Each run gets a fresh relay process.
 */
export async function relayStep(o: RelayStepOptions): Promise<RelayStepResult> {
  const relay = await startRelay();
  const url = `mqtt://127.0.0.1:${relay.port}`;
  const sub = await mqtt.connectAsync(url, { clientId: 'bench-subscriber', reconnectPeriod: 0 });
  let delivered = 0;
  let lastAt = 0;
  sub.on('message', () => {
    delivered++;
    lastAt = Date.now();
  });
  try {
    await sub.subscribeAsync('v1/gateways/+/telemetry', { qos: 1 });
    const load = startLoad({ url, gateways: o.gateways.map((g) => ({ ...g, password: null })), perMessage: o.perMessage, durationMs: o.durationMs, window: o.window, tsBase: o.tsBase, rate: o.rate ?? 0 });
    await load.ready;
    const cpu = new CpuMeter({ relay: relay.child.pid as number, generator: load.child.pid as number, subscriber: process.pid });
    load.go();
    const result: LoadResult = await load.done;
    const cpuSec = cpu.read();
    const rssMB = Math.round(rssBytes(relay.child.pid as number) / 1e6);
    await waitFor(() => delivered >= result.messages, { what: 'the subscriber to receive every relayed message', timeoutMs: 60_000, intervalMs: 50 });
    const seconds = Math.max(lastAt - result.firstAt, o.durationMs) / 1000;
    return {
      messages: delivered,
      readings: delivered * o.perMessage,
      readingsPerS: Math.round((delivered * o.perMessage) / seconds),
      messagesPerS: Math.round(delivered / seconds),
      cpuCores: Object.fromEntries(Object.entries(cpuSec).map(([k, s]) => [k, Math.round((s / (result.elapsedMs / 1000)) * 100) / 100])),
      rssMB,
    };
  } finally {
    await sub.endAsync();
    await stop(relay.child);
  }
}
