import { closeSync, fdatasync, fsyncSync, mkdirSync, openSync, readdirSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';

/** How a message reaches the embedded broker (aedes' own publish). */
export type RelayPublish = (topic: string, payload: Buffer) => void;

interface Segment {
  name: string;
  bytes: number;
  /** messages in it that alerting's session has not acknowledged yet */
  live: number;
}

interface Entry {
  id: number;
  topic: string;
  partition: number;
  payload: Buffer;
  segment: Segment | null;
  /** acknowledged by the partition's session, or dropped at the bound */
  done: boolean;
}

const MSG = 1;
const ACK = 2;
const SEGMENT_BYTES = 4 * 1024 * 1024;
const NAME = /^relay-(\d{16})\.log$/;
/**
 * How long after start batches of a partition nobody has subscribed to yet are kept for its session
 * (alerting reconnecting after ingest restarted). Later, a partition without a session is one no
 * alerting evaluates (ingest alone, a benchmark): its batches go out as before and are not kept.
 */
const ORPHAN_GRACE_MS = 120_000;

/**
 * Single-node mode's journal of the reading batches ingest hands to alerting
 * (`internal/readings/{p}`), so that a PUBACK a gateway got stands for alerting's copy too
 * (docs/architecture.md, "What nothing lost means"):
 *
 * - every batch is appended to a segment file before it is published; {@link durable} settles once
 *   what was appended so far is fsync'd (the embedded broker holds the gateway's PUBACK on it);
 * - a batch is done when the partition's persistent session (alerting) acknowledges it; segments
 *   whose batches are all done are deleted, and an acknowledgement is journaled too;
 * - after a crash, the batches not acknowledged are published again once the partition's session
 *   has subscribed (alerting ignores a reading older than the newest it evaluated for the point,
 *   and a reading with the same ts changes nothing, so a batch seen twice is harmless);
 * - while a partition's session is away (alerting restarting, a takeover), its batches wait here in
 *   order and go out once the session is back and aedes has re-sent what it had in flight. aedes
 *   would otherwise queue them in memory and, on reconnect, interleave the queue with live
 *   batches: newer readings first, and the older ones then ignored as stale.
 *
 * The journal is bounded (`maxBytes`): beyond it the oldest segment goes, counted in `dropped`.
 * Partitions nobody has subscribed to with a persistent session (no alerting yet) get their batches
 * at once as before (for the api's live readings), and kept for that session when it comes.
 */
export class PartitionRelay {
  private readonly segments: Segment[] = [];
  private current: Segment | null = null;
  private fd: number | null = null;
  private nextSegment = 0;
  private nextId = 1;
  private totalBytes = 0;
  /** per partition: batches not yet handed to its session (waiting for it, or orphans of a restart) */
  private readonly queued = new Map<number, Entry[]>();
  /** partition → client id of the persistent session subscribed to it */
  private readonly bound = new Map<number, string>();
  /**
   * partition → client id of a persistent session whose subscription aedes is setting up (authorized,
   * not yet in place): its batches wait here, since one published now could reach that session
   * ahead of the older ones queued for it, which it would then ignore as stale.
   */
  private readonly settingUp = new Map<number, string>();
  /** client id → its connections that aedes has finished re-sending to (clientReady) */
  private readonly readyClients = new Map<string, Set<object>>();
  private readonly tracked = new WeakMap<Buffer, Entry>();
  private appended = 0;
  private synced = 0;
  private syncing = false;
  private readonly waiters: { upTo: number; resolve: () => void }[] = [];
  private failedAt = 0;
  private readonly startedAt = Date.now();
  private readonly closeAfterSync: number[] = [];
  /** batches dropped at the bound, and batches that could not be journaled (disk error) */
  dropped = 0;
  unjournaled = 0;

  constructor(
    private readonly dir: string,
    private readonly maxBytes: number,
    private readonly publish: RelayPublish,
    private readonly partitionOf: (topic: string) => number | null,
    private readonly onError: (message: string) => void = () => undefined,
  ) {}

  /** Loads what a previous run left unacknowledged (published again once each partition's session subscribes). */
  open(): number {
    mkdirSync(this.dir, { recursive: true });
    const names = readdirSync(this.dir).filter((n) => NAME.test(n)).sort();
    const byId = new Map<number, Entry>();
    for (const name of names) {
      const segment: Segment = { name, bytes: 0, live: 0 };
      const data = readFileSync(join(this.dir, name));
      segment.bytes = data.length;
      for (let at = 0; at < data.length; ) {
        const kind = data[at];
        if (kind === ACK && at + 9 <= data.length) {
          const entry = byId.get(data.readDoubleLE(at + 1));
          if (entry && !entry.done) {
            entry.done = true;
            (entry.segment as Segment).live--;
          }
          at += 9;
        } else if (kind === MSG && at + 15 <= data.length) {
          const id = data.readDoubleLE(at + 1);
          const topicLen = data.readUInt16LE(at + 9);
          const payloadLen = data.readUInt32LE(at + 11);
          const end = at + 15 + topicLen + payloadLen;
          if (end > data.length) break; // cut short by the crash: never published, never acknowledged
          const topic = data.toString('utf8', at + 15, at + 15 + topicLen);
          const partition = this.partitionOf(topic);
          if (partition !== null) {
            const entry: Entry = { id, topic, partition, payload: Buffer.from(data.subarray(at + 15 + topicLen, end)), segment, done: false };
            byId.set(id, entry);
            segment.live++;
          }
          this.nextId = Math.max(this.nextId, id + 1);
          at = end;
        } else break;
      }
      this.segments.push(segment);
      this.totalBytes += segment.bytes;
      this.nextSegment = Number(NAME.exec(name)?.[1]) + 1;
    }
    let pending = 0;
    for (const entry of byId.values()) {
      if (entry.done) continue;
      this.queue(entry);
      pending++;
    }
    for (const segment of [...this.segments]) if (segment.live === 0) this.removeSegment(segment);
    this.rotate();
    return pending;
  }

  /** Journals a message and publishes it, or keeps it until its partition's session can take it. */
  send(topic: string, payload: Buffer): void {
    const partition = this.partitionOf(topic);
    if (partition === null) return this.publish(topic, payload);
    const entry: Entry = { id: this.nextId++, topic, partition, payload, segment: null, done: false };
    const header = Buffer.allocUnsafe(15);
    header[0] = MSG;
    header.writeDoubleLE(entry.id, 1);
    const topicBytes = Buffer.from(topic);
    header.writeUInt16LE(topicBytes.length, 9);
    header.writeUInt32LE(payload.length, 11);
    if (this.write([header, topicBytes, payload])) {
      entry.segment = this.current;
      (this.current as Segment).live++;
    }
    const client = this.bound.get(partition);
    if (this.settingUp.has(partition)) this.queue(entry);
    else if (client === undefined) {
      this.publish(topic, payload); // whoever listens now (the api's live readings); the session gets it when it comes
      if (Date.now() - this.startedAt < ORPHAN_GRACE_MS) this.queue(entry);
      else this.complete(entry);
    } else if (this.isReady(client) && !this.queued.get(partition)?.length) this.handOver(entry);
    else this.queue(entry);
  }

  /** Settles once everything sent so far is on disk (fsync); at once when the journal cannot be written. */
  durable(): Promise<void> {
    const upTo = this.appended;
    if (this.synced >= upTo || this.fd === null) return Promise.resolve();
    const done = new Promise<void>((resolve) => this.waiters.push({ upTo, resolve }));
    this.sync();
    return done;
  }

  /**
   * aedes authorized a subscription and is about to put it in place (SUBSCRIBE, or a persistent
   * session's subscriptions restored on connect): a persistent session's partitions hold their
   * batches until it is in place ({@link subscribed}, or {@link ready} for a restored one), so that
   * nothing published meanwhile reaches the session ahead of what waits here for it.
   */
  subscribing(client: { id: string; clean: boolean }, topics: readonly string[]): void {
    if (client.clean) return;
    for (const partition of this.partitionsOf(topics)) this.settingUp.set(partition, client.id);
  }

  /** A client subscribed: a persistent session on a partition topic becomes that partition's session. */
  subscribed(client: { id: string; clean: boolean }, topics: readonly string[]): void {
    if (client.clean) return;
    for (const partition of this.partitionsOf(topics)) {
      if (this.settingUp.get(partition) === client.id) this.settingUp.delete(partition);
      this.bound.set(partition, client.id);
      if (this.isReady(client.id)) this.release(partition);
    }
  }

  /** aedes has re-sent a connection what its session had in flight: what waited here follows. */
  ready(client: { id: string }): void {
    let set = this.readyClients.get(client.id);
    if (!set) this.readyClients.set(client.id, (set = new Set()));
    set.add(client);
    // subscriptions set up before the connection was ready are the session's restored ones: in place now
    for (const [partition, id] of this.settingUp) {
      if (id !== client.id) continue;
      this.settingUp.delete(partition);
      this.bound.set(partition, id);
    }
    for (const [partition, id] of this.bound) if (id === client.id) this.release(partition);
  }

  disconnected(client: { id: string }): void {
    const set = this.readyClients.get(client.id);
    if (set?.delete(client) && set.size === 0) {
      this.readyClients.delete(client.id);
      // a subscription left half set up: the session subscribes again when it comes back
      for (const [partition, id] of this.settingUp) if (id === client.id) this.settingUp.delete(partition);
    }
  }

  /** The partition's session acknowledged a message (aedes' `ack` event). */
  acknowledged(payload: unknown, client: { id: string } | null): void {
    if (!Buffer.isBuffer(payload) || !client) return;
    const entry = this.tracked.get(payload);
    if (!entry || entry.done || this.bound.get(entry.partition) !== client.id) return;
    this.tracked.delete(payload);
    this.complete(entry);
  }

  /** Messages not yet acknowledged by their partition's session. */
  get pending(): number {
    let n = 0;
    for (const s of this.segments) n += s.live;
    return n;
  }

  close(): void {
    if (this.fd === null) return;
    try {
      fsyncSync(this.fd);
      closeSync(this.fd);
    } catch {
      // nothing more to keep
    }
    this.fd = null;
  }

  private isReady(clientId: string): boolean {
    return (this.readyClients.get(clientId)?.size ?? 0) > 0;
  }

  private queue(entry: Entry): void {
    let list = this.queued.get(entry.partition);
    if (!list) this.queued.set(entry.partition, (list = []));
    list.push(entry);
  }

  private partitionsOf(topics: readonly string[]): number[] {
    const out: number[] = [];
    for (const topic of topics) {
      const partition = this.partitionOf(topic);
      if (partition !== null && !topic.includes('+') && !topic.includes('#')) out.push(partition);
    }
    return out;
  }

  private release(partition: number): void {
    if (this.settingUp.has(partition)) return; // not in place yet: published now, it could reach nobody
    const list = this.queued.get(partition);
    if (!list) return;
    this.queued.delete(partition);
    for (const entry of list) if (!entry.done) this.handOver(entry);
  }

  private handOver(entry: Entry): void {
    this.tracked.set(entry.payload, entry);
    this.publish(entry.topic, entry.payload);
  }

  // Done, and journaled as done so a restart does not send it again.
  private complete(entry: Entry): void {
    const journaled = entry.segment !== null;
    this.finish(entry);
    if (!journaled) return;
    const record = Buffer.allocUnsafe(9);
    record[0] = ACK;
    record.writeDoubleLE(entry.id, 1);
    this.write([record]);
  }

  private finish(entry: Entry): void {
    entry.done = true;
    const segment = entry.segment;
    if (!segment) return;
    segment.live--;
    if (segment.live === 0 && segment !== this.current) this.removeSegment(segment);
  }

  // Appends a record to the current segment (rotating when full); false when the disk refused it.
  private write(parts: Buffer[]): boolean {
    if (this.fd === null && !this.reopen()) {
      this.unjournaled++;
      return false;
    }
    const bytes = parts.reduce((n, p) => n + p.length, 0);
    try {
      if ((this.current as Segment).bytes + bytes > SEGMENT_BYTES) this.rotate();
      for (const part of parts) for (let off = 0; off < part.length; ) off += writeSync(this.fd as number, part, off);
    } catch (err) {
      this.fail(err as Error);
      this.unjournaled++;
      return false;
    }
    (this.current as Segment).bytes += bytes;
    this.totalBytes += bytes;
    this.appended++;
    while (this.totalBytes > this.maxBytes && this.segments.length > 1) this.dropOldest();
    return true;
  }

  private rotate(): void {
    const old = this.current;
    if (this.fd !== null) {
      fsyncSync(this.fd);
      // an fdatasync may still be running on it: closed when that answers
      if (this.syncing) this.closeAfterSync.push(this.fd);
      else closeSync(this.fd);
      this.fd = null;
    }
    const name = `relay-${String(this.nextSegment++).padStart(16, '0')}.log`;
    this.fd = openSync(join(this.dir, name), 'a');
    this.current = { name, bytes: 0, live: 0 };
    this.segments.push(this.current);
    if (old && old.live === 0) this.removeSegment(old);
  }

  private reopen(): boolean {
    if (Date.now() - this.failedAt < 1000) return false;
    try {
      mkdirSync(this.dir, { recursive: true });
      this.current = null;
      this.rotate();
      return true;
    } catch (err) {
      this.fail(err as Error);
      return false;
    }
  }

  private fail(err: Error): void {
    if (this.fd !== null) {
      try {
        closeSync(this.fd);
      } catch {
        // already gone
      }
    }
    this.fd = null;
    this.failedAt = Date.now();
    this.onError(`the reading journal cannot be written (${err.message}): alerting's copy is in memory only until it can`);
    // whoever waits for the disk gets an answer: there is nothing more to wait for
    for (const w of this.waiters.splice(0)) w.resolve();
  }

  private dropOldest(): void {
    const oldest = this.segments[0] as Segment;
    if (oldest === this.current) return;
    for (const list of this.queued.values()) {
      for (const entry of list) {
        if (entry.segment === oldest && !entry.done) {
          entry.done = true;
          this.dropped++;
        }
      }
    }
    oldest.live = 0;
    this.removeSegment(oldest);
  }

  private removeSegment(segment: Segment): void {
    const i = this.segments.indexOf(segment);
    if (i < 0) return;
    this.segments.splice(i, 1);
    this.totalBytes -= segment.bytes;
    rmSync(join(this.dir, segment.name), { force: true });
  }

  // Group commit: one fdatasync at a time covers everything appended before it started.
  private sync(): void {
    if (this.syncing || this.fd === null) return;
    this.syncing = true;
    const upTo = this.appended;
    fdatasync(this.fd, (err) => {
      this.syncing = false;
      for (const fd of this.closeAfterSync.splice(0)) closeSync(fd);
      if (err) this.fail(err);
      else this.synced = Math.max(this.synced, upTo);
      while (this.waiters.length > 0 && (this.waiters[0] as { upTo: number }).upTo <= this.synced) this.waiters.shift()?.resolve();
      if (this.waiters.length > 0) this.sync();
    });
  }
}
