import {
  REPLAY_WINDOW_S,
  UPLINK_MAX_BATCH_MESSAGES,
  UPLINK_MESSAGE_TYPES,
  verifyRequest,
  type UplinkBatch,
  type UplinkMessage,
  type UplinkResponse,
} from '@sw/uplink-protocol';
import { VendorServer, type VendorReply, type VendorRequest } from './vendor-server';

/** A message the province stored, with the batch's sender and enterprise. */
export interface ProvinceRecord extends UplinkMessage {
  sender: string;
  enterpriseId: string;
}

/**
 * A local provincial platform speaking the generic JSON contract (docs/contracts.md §6):
 * `POST /v1/batches` with the HMAC-SHA256 signature checked exactly as documented (401 with the
 * refusal code), each message stored once by (sender, id), each enterprise's seq expected in order
 * (409 SEQUENCE_GAP with `expectedSeq`), 503 while told to fail. `deliveries`/`accepted` (from
 * VendorServer) count messages by id; `stored` is what the province holds, per enterprise in order.
 */
export class ProvinceServer extends VendorServer {
  /** What the province holds, per `sender|enterprise`, in the order it stored them. */
  readonly stored = new Map<string, ProvinceRecord[]>();
  /** Refusals by code (signature, gap, malformed…), in order. */
  readonly refusals: string[] = [];
  /** Messages received again with an id already stored (absorbed by the province's dedup). */
  duplicates = 0;
  /** Batches answered OK. */
  batches = 0;
  /** While true every request answers 503 (a province that is up but failing). */
  failing = false;
  private readonly nonces = new Map<string, number>();

  constructor(readonly keys: Map<string, string>) {
    super();
  }

  /** Every stored message in store order across enterprises (per enterprise order is `stored`). */
  get all(): ProvinceRecord[] {
    return [...this.stored.values()].flat();
  }

  /** Stops listening (connections refused) and starts again on the same port, keeping what it stored. */
  async restart(): Promise<void> {
    await this.stop();
    await this.start(this.port);
  }

  protected handle(req: VendorRequest): VendorReply {
    if (req.path !== '/v1/batches' || req.method !== 'POST') return { status: 404, body: { code: 'MALFORMED', message: 'not found' } };
    const query = req.query.toString();
    const refusal = verifyRequest(
      { method: req.method, path: query ? `${req.path}?${query}` : req.path, body: req.body },
      req.headers,
      (id) => this.keys.get(id),
      Date.now(),
      (keyId, nonce) => this.nonceSeen(keyId, nonce),
    );
    if (refusal) {
      this.rejected++;
      this.refusals.push(refusal);
      return { status: 401, body: { code: refusal } satisfies UplinkResponse };
    }
    if (this.failing || this.takeFailure()) return { status: 503, body: { code: 'UNAVAILABLE', message: 'failing on purpose' } satisfies UplinkResponse };
    const batch = parseBatch(req.body);
    if (typeof batch === 'string') {
      this.refusals.push('MALFORMED');
      return { status: 400, body: { code: 'MALFORMED', message: batch } satisfies UplinkResponse };
    }
    if (batch.messages.length > UPLINK_MAX_BATCH_MESSAGES) return { status: 413, body: { code: 'BATCH_TOO_LARGE' } satisfies UplinkResponse };
    return this.apply(batch);
  }

  /** All or nothing: duplicates (same id, seq below the next expected) are skipped, a gap refuses the batch. */
  private apply(batch: UplinkBatch): VendorReply {
    const streamKey = `${batch.sender}|${batch.enterprise.id}`;
    const held = this.stored.get(streamKey) ?? [];
    const byId = new Set(held.map((m) => m.id));
    let expected = held.length + 1;
    const fresh: ProvinceRecord[] = [];
    let duplicates = 0;
    for (const m of batch.messages) {
      if (m.seq < expected) {
        if (!byId.has(m.id) && !fresh.some((f) => f.id === m.id)) {
          this.refusals.push('MALFORMED');
          return { status: 400, body: { code: 'MALFORMED', message: `seq ${m.seq} already holds another message` } satisfies UplinkResponse };
        }
        duplicates++;
      } else if (m.seq === expected) {
        fresh.push({ ...m, sender: batch.sender, enterpriseId: batch.enterprise.id });
        expected++;
      } else {
        this.refusals.push('SEQUENCE_GAP');
        return { status: 409, body: { code: 'SEQUENCE_GAP', expectedSeq: expected } satisfies UplinkResponse };
      }
    }
    this.stored.set(streamKey, [...held, ...fresh]);
    this.duplicates += duplicates;
    this.batches++;
    for (const m of batch.messages) this.record({ key: `${batch.sender}|${m.id}`, to: batch.enterprise.id, payload: m as unknown as Record<string, unknown> });
    return { body: { code: 'OK', accepted: fresh.length, duplicates, expectedSeq: expected } satisfies UplinkResponse };
  }

  private nonceSeen(keyId: string, nonce: string): boolean {
    const now = Date.now();
    if (this.nonces.size > 100_000) for (const [k, at] of this.nonces) if (at < now - 2 * REPLAY_WINDOW_S * 1000) this.nonces.delete(k);
    const key = `${keyId}|${nonce}`;
    if (this.nonces.has(key)) return true;
    this.nonces.set(key, now);
    return false;
  }
}

function parseBatch(body: Buffer): UplinkBatch | string {
  let b: Partial<UplinkBatch>;
  try {
    b = JSON.parse(body.toString('utf8')) as Partial<UplinkBatch>;
  } catch {
    return 'body is not JSON';
  }
  if (b.version !== 1 || typeof b.sender !== 'string' || typeof b.enterprise?.id !== 'string' || !Array.isArray(b.messages) || b.messages.length === 0) return 'not a version 1 batch';
  for (const m of b.messages) {
    if (typeof m.id !== 'string' || !Number.isInteger(m.seq) || m.seq < 1 || !(UPLINK_MESSAGE_TYPES as readonly string[]).includes(m.type) || typeof m.at !== 'string' || typeof m.data !== 'object') {
      return `bad message ${JSON.stringify(m).slice(0, 200)}`;
    }
  }
  return b as UplinkBatch;
}
