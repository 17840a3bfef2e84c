import { Agent, request } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';

export class InfluxWriteError extends Error {
  constructor(
    message: string,
    /** HTTP status, or null when InfluxDB could not be reached */
    readonly status: number | null,
  ) {
    super(message);
  }
}

/**
 * POSTs ready-made line protocol to InfluxDB's v1 `/write` (ms precision, default retention policy) over a keep-alive agent.
 * node-influx has no call for pre-built lines, and its writePoints re-serializes every point; queries,
 * ping and database administration still go through node-influx.
 */
export class InfluxHttpClient {
  private readonly url: URL;
  private readonly agent: Agent;
  private readonly auth: string | undefined;

  constructor(baseUrl: string, database: string, username?: string, password?: string, private readonly timeoutMs = 30_000) {
    this.url = new URL('/write', baseUrl);
    this.url.searchParams.set('db', database);
    this.url.searchParams.set('precision', 'ms');
    this.agent = this.url.protocol === 'https:' ? new HttpsAgent({ keepAlive: true, maxSockets: 8 }) : new Agent({ keepAlive: true, maxSockets: 8 });
    this.auth = username ? `${username}:${password ?? ''}` : undefined;
  }

  /** `body`: the lines as one string or buffer, or as chunks sent one after the other. */
  write(body: string | Uint8Array | readonly Uint8Array[]): Promise<void> {
    const send = this.url.protocol === 'https:' ? httpsRequest : request;
    const chunks = typeof body === 'string' || body instanceof Uint8Array ? null : body;
    const headers: Record<string, string | number> = { 'content-type': 'text/plain; charset=utf-8' };
    if (chunks) headers['content-length'] = chunks.reduce((n, c) => n + c.byteLength, 0);
    return new Promise((resolve, reject) => {
      const req = send(this.url, { method: 'POST', agent: this.agent, auth: this.auth, timeout: this.timeoutMs, headers }, (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => {
          const status = res.statusCode ?? 0;
          if (status === 204 || status === 200) resolve();
          else reject(new InfluxWriteError(`InfluxDB answered ${status}: ${text.trim().slice(0, 500)}`, status));
        });
      });
      req.on('timeout', () => req.destroy(new Error(`no answer from InfluxDB within ${this.timeoutMs} ms`)));
      req.on('error', (err) => reject(err instanceof InfluxWriteError ? err : new InfluxWriteError(err.message, null)));
      if (chunks) {
        for (const chunk of chunks) req.write(chunk);
        req.end();
      } else {
        req.end(body as string | Uint8Array);
      }
    });
  }

  close(): void {
    this.agent.destroy();
  }
}
