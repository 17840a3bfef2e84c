import mqtt, { type MqttClient } from 'mqtt';

/**
 * Publish → stored latency: one reading with a unique value at a time, then InfluxDB is polled
 * every 2 ms until a query returns it. The figure includes up to one poll interval and the query.
 */
export class LatencyProbe {
  readonly samples: number[] = [];
  private running = false;
  private loop: Promise<void> = Promise.resolve();
  private client!: MqttClient;
  private n = 0;

  constructor(
    private readonly brokerUrl: string,
    private readonly gateway: { code: string; password: string; pointId: string; pointCode: string },
    private readonly influxUrl: string,
  ) {}

  get sent(): number {
    return this.n;
  }

  async start(): Promise<void> {
    this.client = await mqtt.connectAsync(this.brokerUrl, { username: this.gateway.code, password: this.gateway.password, clientId: `${this.gateway.code}:latency-probe`, reconnectPeriod: 0 });
    this.running = true;
    this.loop = this.run();
  }

  async stop(): Promise<number[]> {
    this.running = false;
    await this.loop;
    await this.client.endAsync();
    return this.samples;
  }

  private async run(): Promise<void> {
    while (this.running) {
      const value = ++this.n;
      const t0 = performance.now();
      await this.client.publishAsync(`v1/gateways/${this.gateway.code}/telemetry`, JSON.stringify({ readings: [{ point: this.gateway.pointCode, value }] }), { qos: 1 });
      while ((await this.lastValue()) !== value) {
        if (performance.now() - t0 > 30_000) break;
        await sleep(2);
      }
      this.samples.push(performance.now() - t0);
      await sleep(20);
    }
  }

  private async lastValue(): Promise<number | null> {
    const q = encodeURIComponent(`SELECT last(value) FROM reading WHERE point = '${this.gateway.pointId}'`);
    const res = await fetch(`${this.influxUrl}/query?db=safety_watch&q=${q}`);
    const body = (await res.json()) as { results?: { series?: { values: [string, number][] }[] }[] };
    return body.results?.[0]?.series?.[0]?.values[0]?.[1] ?? null;
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
