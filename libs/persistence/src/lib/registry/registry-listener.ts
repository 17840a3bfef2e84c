import { Client } from 'pg';

export interface RegistryChange {
  table: 'gateways' | 'points' | 'enterprises' | 'rules';
  op: 'INSERT' | 'UPDATE' | 'DELETE';
  id: string;
}

/**
 * LISTENs on one PostgreSQL channel with its own connection, reconnecting with backoff; after a
 * reconnect it reports `resync` because notifications sent while it was away are lost. Payloads
 * are JSON.
 */
export class NotificationListener<T> {
  private client: Client | null = null;
  private stopped = false;
  private retryMs = 500;
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly url: string,
    private readonly channel: string,
    private readonly onChange: (change: T) => void,
    private readonly onResync: () => void,
    private readonly onError: (err: Error) => void,
  ) {}

  async start(): Promise<void> {
    await this.connect(false);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.client?.end().catch(() => undefined);
    this.client = null;
  }

  private async connect(resync: boolean): Promise<void> {
    const client = new Client({ connectionString: this.url, application_name: `${this.channel.replace(/_/g, '-')}-listener` });
    client.on('notification', (msg) => {
      if (!msg.payload) return;
      try {
        this.onChange(JSON.parse(msg.payload) as T);
      } catch (err) {
        this.onError(err as Error);
      }
    });
    client.on('error', (err) => {
      this.onError(err);
      this.scheduleReconnect(client);
    });
    client.on('end', () => this.scheduleReconnect(client));
    await client.connect();
    await client.query(`LISTEN ${this.channel}`);
    this.client = client;
    this.retryMs = 500;
    if (resync) this.onResync();
  }

  private scheduleReconnect(client: Client): void {
    if (this.stopped || this.client !== client) return;
    this.client = null;
    this.timer = setTimeout(() => {
      this.connect(true).catch((err: Error) => {
        this.onError(err);
        this.retryMs = Math.min(this.retryMs * 2, 30_000);
        this.client = client; // let scheduleReconnect run again
        this.scheduleReconnect(client);
      });
    }, this.retryMs);
  }
}

/** `registry_changed` (see the registry migration's triggers). */
export class RegistryListener extends NotificationListener<RegistryChange> {
  constructor(url: string, onChange: (change: RegistryChange) => void, onResync: () => void, onError: (err: Error) => void) {
    super(url, 'registry_changed', onChange, onResync, onError);
  }
}
