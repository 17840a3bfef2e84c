import mqtt, { type MqttClient } from 'mqtt';

export interface LoadGateway {
  code: string;
  password: string | null;
  points: string[];
  /** per point: readings wander within ±5 % of it (default: 20–30) */
  baselines?: number[];
}

export interface LoadSpec {
  url: string;
  gateways: LoadGateway[];
  perMessage: number;
  durationMs: number;
  /** QoS 1 messages in flight per connection */
  window: number;
  /** stop after this many messages in total (0 = duration only) */
  maxMessages?: number;
  /** cap on messages/s over all connections (0 = as fast as the broker acknowledges) */
  rate?: number;
  /** epoch ms of each point's first reading; every further reading of a point is 1 ms later */
  tsBase: number;
  topic?: (code: string) => string;
}

export interface LoadResult {
  messages: number;
  readings: number;
  bytes: number;
  elapsedMs: number;
  firstAt: number;
  lastAckAt: number;
}

/**
 * Publishes telemetry as fast as QoS 1 acknowledgements allow (a window of messages in flight per
 * gateway connection), each reading ~150 bytes of docs/contracts.md §1 JSON with distinct timestamps.
 */
export async function runLoad(spec: LoadSpec, ready: () => Promise<void> = async () => undefined): Promise<LoadResult> {
  const topicOf = spec.topic ?? ((code: string) => `v1/gateways/${code}/telemetry`);
  const clients = await Promise.all(
    spec.gateways.map((g, i) =>
      mqtt.connectAsync(spec.url, {
        username: g.password ? g.code : undefined,
        password: g.password ?? undefined,
        clientId: g.password ? g.code : `load-${process.pid}-${i}`, // a gateway connects as its code (README §Security)
        reconnectPeriod: 0,
        protocolVersion: 4,
        queueQoSZero: false,
      }),
    ),
  );
  await ready(); // connected: the measurement starts now, not during the connection storm
  const result: LoadResult = { messages: 0, readings: 0, bytes: 0, elapsedMs: 0, firstAt: Date.now(), lastAckAt: 0 };
  const deadline = result.firstAt + spec.durationMs;
  const perClientRate = spec.rate ? spec.rate / clients.length : 0;
  let seq = 0;
  // Paced: one shared 5 ms ticker wakes every connection that is behind its schedule (a timer per
  // connection would cost the generator more than the publishing).
  const pumps: (() => void)[] = [];
  const ticker = perClientRate ? setInterval(() => pumps.forEach((pump) => pump()), 5) : null;

  await Promise.all(
    clients.map(
      (client, i) =>
        new Promise<void>((resolve) => {
          const g = spec.gateways[i] as LoadGateway;
          const topic = topicOf(g.code);
          let inFlight = 0;
          let sent = 0;
          let pointIdx = 0;
          const nextTs = g.points.map(() => spec.tsBase); // distinct ms per reading of a point: none overwrites another
          const started = result.firstAt + (i / clients.length) * (perClientRate ? 1000 / perClientRate : 0); // staggered
          let finished = false;
          const pump = (): void => {
            if (finished) return;
            while (inFlight < spec.window) {
              const now = Date.now();
              if (now >= deadline || (spec.maxMessages && result.messages >= spec.maxMessages)) {
                if (inFlight === 0) {
                  finished = true;
                  resolve();
                }
                return;
              }
              if (perClientRate && sent >= ((now - started) / 1000) * perClientRate) return; // the ticker comes back
              let body = '';
              for (let r = 0; r < spec.perMessage; r++) {
                const idx = pointIdx++ % g.points.length;
                const ts = nextTs[idx] as number;
                nextTs[idx] = ts + 1;
                const base = g.baselines?.[idx];
                const value = base === undefined ? 20 + (ts % 1000) / 100 : base * (0.95 + (ts % 100) / 1000);
                body += `${r ? ',' : ''}{"point":"${g.points[idx] as string}","value":${value.toFixed(3)},"ts":"${isoShanghai(ts)}","quality":"good"}`;
              }
              const payload = `{"seq":${seq++},"ts":${Date.now()},"readings":[${body}]}`;
              inFlight++;
              sent++;
              result.messages++;
              result.readings += spec.perMessage;
              result.bytes += payload.length;
              client.publish(topic, payload, { qos: 1 }, () => {
                inFlight--;
                result.lastAckAt = Date.now();
                pump();
              });
            }
          };
          pumps.push(pump);
          pump();
        }),
    ),
  );
  if (ticker) clearInterval(ticker);
  result.elapsedMs = result.lastAckAt - result.firstAt;
  await Promise.all(clients.map((c: MqttClient) => c.endAsync()));
  return result;
}

/** `2026-11-28T18:00:00.123+08:00`: the form Chinese gateways usually send. */
function isoShanghai(ms: number): string {
  return new Date(ms + 8 * 3_600_000).toISOString().replace('Z', '+08:00');
}
