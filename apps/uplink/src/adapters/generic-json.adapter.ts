import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import { judgeResponse, signRequest, type BatchOutcome, type UplinkBatch, type UplinkResponse } from '@sw/uplink-protocol';
import type { UplinkConfig } from '../config/uplink.config';
import type { ProvinceAdapter } from './province-adapter.types';

interface HttpAnswer {
  status: number;
  body: string;
  retryAfter: string | null;
}

/**
 * The generic JSON-over-HTTPS contract (docs/contracts.md §6): `POST {endpoint}/v1/batches`, the
 * body signed with HMAC-SHA256 (key id, timestamp, nonce, body hash), optionally over mutual TLS.
 */
export class GenericJsonAdapter implements ProvinceAdapter {
  readonly id = 'generic-json';
  readonly endpoint: string;
  private readonly url: URL;
  private readonly agent: http.Agent;
  private readonly key: { id: string; secret: string };

  constructor(private readonly config: UplinkConfig & { UPLINK_ENDPOINT: string; UPLINK_KEY_ID: string; UPLINK_SECRET: string }) {
    this.url = new URL(`${config.UPLINK_ENDPOINT.replace(/\/+$/, '')}/v1/batches`);
    this.endpoint = `${this.url.protocol}//${this.url.host}${this.url.pathname}`;
    this.key = { id: config.UPLINK_KEY_ID, secret: config.UPLINK_SECRET };
    this.agent =
      this.url.protocol === 'https:'
        ? new https.Agent({
            keepAlive: true,
            ...(config.UPLINK_CA_FILE && { ca: readFileSync(config.UPLINK_CA_FILE) }),
            ...(config.UPLINK_CLIENT_CERT_FILE && { cert: readFileSync(config.UPLINK_CLIENT_CERT_FILE) }),
            ...(config.UPLINK_CLIENT_KEY_FILE && { key: readFileSync(config.UPLINK_CLIENT_KEY_FILE) }),
          })
        : new http.Agent({ keepAlive: true });
  }

  async send(batch: UplinkBatch): Promise<BatchOutcome & { code: string }> {
    const body = JSON.stringify(batch);
    const path = `${this.url.pathname}${this.url.search}`;
    const headers = signRequest({ method: 'POST', path, body }, this.key, Date.now(), randomBytes(18).toString('base64url'));
    let answer: HttpAnswer;
    try {
      answer = await this.post(path, body, headers);
    } catch (err) {
      return { kind: 'retry', reason: `network: ${(err as Error).message}`, code: 'NETWORK' };
    }
    let parsed: UplinkResponse | null = null;
    try {
      parsed = JSON.parse(answer.body) as UplinkResponse;
    } catch {
      parsed = null;
    }
    const outcome = judgeResponse(answer.status, parsed, answer.retryAfter, Date.now());
    return { ...outcome, code: parsed?.code ?? `HTTP_${answer.status}` };
  }

  close(): void {
    this.agent.destroy();
  }

  private post(path: string, body: string, signature: Record<string, string>): Promise<HttpAnswer> {
    const transport = this.url.protocol === 'https:' ? https : http;
    return new Promise((resolve, reject) => {
      const req = transport.request(
        {
          host: this.url.hostname,
          port: this.url.port || (this.url.protocol === 'https:' ? 443 : 80),
          method: 'POST',
          path,
          agent: this.agent,
          timeout: this.config.UPLINK_REQUEST_TIMEOUT_MS,
          headers: { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body), ...signature },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => {
            if (chunks.length < 1024) chunks.push(c); // the answer is small; ignore a runaway one
          });
          res.on('end', () => {
            const retryAfter = res.headers['retry-after'];
            resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8'), retryAfter: typeof retryAfter === 'string' ? retryAfter : null });
          });
          res.on('error', reject);
        },
      );
      req.on('timeout', () => req.destroy(new Error(`no answer within ${this.config.UPLINK_REQUEST_TIMEOUT_MS} ms`)));
      req.on('error', reject);
      req.end(body);
    });
  }
}

/** The adapter UPLINK_ADAPTER names, or null when no endpoint is configured (the uplink is off). */
export function provinceAdapter(config: UplinkConfig): ProvinceAdapter | null {
  const { UPLINK_ENDPOINT, UPLINK_KEY_ID, UPLINK_SECRET } = config;
  if (!UPLINK_ENDPOINT || !UPLINK_KEY_ID || !UPLINK_SECRET) return null;
  switch (config.UPLINK_ADAPTER) {
    case 'generic-json':
      return new GenericJsonAdapter({ ...config, UPLINK_ENDPOINT, UPLINK_KEY_ID, UPLINK_SECRET });
  }
}
