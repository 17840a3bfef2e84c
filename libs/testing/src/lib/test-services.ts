import { InfluxdProcess } from './influxd';
import { MosquittoProcess } from './mosquitto';
import { createTestDatabase, type TestDatabase } from './postgres';

export interface TestServicesOptions {
  /** Start Debian's Mosquitto (anonymous, own port). */
  mosquitto?: boolean;
  /** Start a real influxd (own port and folder); with `databases`, create them too. */
  influx?: boolean | { databases: string[] };
}

/**
 * The real services of one integration suite: its own PostgreSQL database and, as asked, Mosquitto
 * and influxd on their own ports. What the suite starts on them (apps in-process, MQTT clients,
 * DataSources) is registered with `defer` and ended first, last registered first, by `stop()`;
 * then the broker, influxd and the database go. A failed start ends what it had started.
 */
export class TestServices {
  private readonly stops: (() => unknown)[] = [];

  private constructor(
    readonly db: TestDatabase,
    private readonly broker: MosquittoProcess | undefined,
    private readonly influxd: InfluxdProcess | undefined,
  ) {}

  /** Creates `sw_test_<prefix>_…` and starts the services asked for. */
  static async start(prefix: string, options: TestServicesOptions = {}): Promise<TestServices> {
    const db = await createTestDatabase(prefix);
    const services = new TestServices(db, options.mosquitto ? new MosquittoProcess() : undefined, options.influx ? new InfluxdProcess() : undefined);
    try {
      await Promise.all([services.broker?.start(), services.influxd?.start()]);
      for (const name of typeof options.influx === 'object' ? options.influx.databases : []) await services.influx.createDatabase(name);
    } catch (error) {
      await services.stop().catch(() => undefined);
      throw error;
    }
    return services;
  }

  get mosquitto(): MosquittoProcess {
    if (!this.broker) throw new Error('TestServices: started without { mosquitto: true }');
    return this.broker;
  }

  get influx(): InfluxdProcess {
    if (!this.influxd) throw new Error('TestServices: started without { influx }');
    return this.influxd;
  }

  /** Ends `stop` before the services themselves (apps, clients, sockets on them); last registered, first ended. */
  defer(stop: () => unknown): void {
    this.stops.push(stop);
  }

  /** Ends everything deferred, then Mosquitto, influxd and the database; every step runs, the first error is thrown. */
  async stop(): Promise<void> {
    const steps = [...this.stops.splice(0).reverse(), () => this.broker?.cleanup(), () => this.influxd?.cleanup(), () => this.db.drop()];
    let failure: unknown;
    for (const step of steps) {
      try {
        await step();
      } catch (error) {
        failure ??= error;
      }
    }
    if (failure !== undefined) throw failure;
  }
}
