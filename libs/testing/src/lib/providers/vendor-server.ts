import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';

export interface VendorRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingMessage['headers'];
  body: Buffer;
}

export interface VendorReply {
  status?: number;
  body: unknown;
}

/** One accepted message at a local vendor server, by the idempotency key it carried. */
export interface VendorDelivery {
  key: string;
  to: string;
  at: number;
  payload: Record<string, unknown>;
}

/**
 * A local HTTP server standing in for a vendor API: it answers in the vendor's format, counts what
 * it accepted (by the idempotency key the vendor knows, so `deliveries` is what a person would
 * see), and can be told to answer the next requests with the vendor's error (`failNext`).
 */
export abstract class VendorServer {
  private server: Server | null = null;
  /** Every request that passed authentication, duplicates included. */
  readonly accepted: VendorDelivery[] = [];
  /** Requests refused for their signature or credentials. */
  rejected = 0;
  private failures = 0;
  private readonly byKey = new Map<string, VendorDelivery>();
  port = 0;
  /** Answers this much later (a slow vendor: keeps requests in flight). */
  delayMs = 0;
  /** Requests received and not answered yet (in the `delayMs`); they count once answered, whether or not the caller is still there. */
  inFlight = 0;

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** host:port, for SDKs that take an endpoint without a scheme. */
  get endpoint(): string {
    return `127.0.0.1:${this.port}`;
  }

  /** Distinct messages: one per idempotency key however often it was sent. */
  get deliveries(): VendorDelivery[] {
    return [...this.byKey.values()];
  }

  /** How many requests carried this key (> 1: a duplicate the vendor's idempotency absorbed). */
  requestsFor(key: string): number {
    return this.accepted.filter((d) => d.key === key).length;
  }

  failNext(count: number): void {
    this.failures = count;
  }

  reset(): void {
    this.accepted.length = 0;
    this.byKey.clear();
    this.rejected = 0;
    this.failures = 0;
  }

  async start(port = 0): Promise<this> {
    this.server = createServer((req, res) => void this.receive(req, res));
    await new Promise<void>((resolve) => this.server?.listen(port, '127.0.0.1', resolve));
    const address = this.server.address();
    this.port = typeof address === 'object' && address ? address.port : port;
    return this;
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = null;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  protected abstract handle(req: VendorRequest): VendorReply | Promise<VendorReply>;

  /** Whether this request is to fail (a failure injected by the test). */
  protected takeFailure(): boolean {
    if (this.failures <= 0) return false;
    this.failures--;
    return true;
  }

  protected record(d: Omit<VendorDelivery, 'at'>): VendorDelivery {
    const delivery = { ...d, at: Date.now() };
    this.accepted.push(delivery);
    const first = this.byKey.get(d.key);
    if (first) return first;
    this.byKey.set(d.key, delivery);
    return delivery;
  }

  protected requestId(): string {
    return randomUUID().toUpperCase();
  }

  private async receive(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    if (this.delayMs > 0) {
      this.inFlight++;
      await new Promise((r) => setTimeout(r, this.delayMs));
      this.inFlight--;
    }
    const url = new URL(req.url ?? '/', 'http://local');
    let reply: VendorReply;
    try {
      reply = await this.handle({ method: req.method ?? 'GET', path: url.pathname, query: url.searchParams, headers: req.headers, body: Buffer.concat(chunks) });
    } catch (err) {
      reply = { status: 500, body: { error: (err as Error).message } };
    }
    res.writeHead(reply.status ?? 200, { 'content-type': 'application/json; charset=utf-8' });
    res.end(JSON.stringify(reply.body));
  }
}
