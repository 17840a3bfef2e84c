import { mkdir, open, readdir, readFile, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';

export interface SpoolSegment {
  name: string;
  bytes: number;
  count: number;
}

/**
 * A bounded FIFO of batches on disk: one file a batch, named by a monotonically increasing
 * number so the oldest drains first. At the bound the oldest segments are dropped and reported
 * to the caller (newer readings are worth more to a duty officer than old ones).
 */
export class DiskSpool {
  private segments: SpoolSegment[] = [];
  private next = 0;
  private totalBytes = 0;
  private appending: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly dir: string,
    private readonly maxBytes: number,
  ) {}

  /** Picks up what a previous run left behind. */
  async open(): Promise<void> {
    await mkdir(this.dir, { recursive: true });
    const names = (await readdir(this.dir)).filter((n) => /^\d{16}-\d+\.json$/.test(n)).sort();
    for (const name of names) {
      const { size } = await stat(join(this.dir, name));
      const count = Number(name.split('-')[1]?.replace('.json', ''));
      this.segments.push({ name, bytes: size, count });
      this.totalBytes += size;
    }
    const last = names.at(-1);
    this.next = last ? Number(last.slice(0, 16)) + 1 : 0;
  }

  get bytes(): number {
    return this.totalBytes;
  }

  get length(): number {
    return this.segments.length;
  }

  /**
   * Appends a batch; returns the segments dropped to stay under the bound. Appends run one at a
   * time (callers do not wait for each other), so the list stays in file-name order: FIFO.
   */
  append(body: string | Uint8Array, count: number): Promise<SpoolSegment[]> {
    const done = this.appending.then(() => this.write(body, count));
    this.appending = done.catch(() => undefined);
    return done;
  }

  private async write(body: string | Uint8Array, count: number): Promise<SpoolSegment[]> {
    const name = `${String(this.next++).padStart(16, '0')}-${count}.json`;
    const bytes = typeof body === 'string' ? Buffer.byteLength(body) : body.byteLength;
    // fsync'd before it counts: a spooled batch stands for readings whose PUBACK may already be out
    const file = await open(join(this.dir, name), 'w');
    try {
      await file.writeFile(body);
      await file.sync();
    } finally {
      await file.close();
    }
    this.segments.push({ name, bytes, count });
    this.totalBytes += bytes;
    const dropped: SpoolSegment[] = [];
    while (this.totalBytes > this.maxBytes && this.segments.length > 1) {
      const oldest = this.segments.shift() as SpoolSegment;
      await rm(join(this.dir, oldest.name), { force: true });
      this.totalBytes -= oldest.bytes;
      dropped.push(oldest);
    }
    return dropped;
  }

  /** The oldest batch, not yet removed. */
  async peek(): Promise<{ segment: SpoolSegment; body: string } | null> {
    for (let segment = this.segments[0]; segment; segment = this.segments[0]) {
      try {
        return { segment, body: await readFile(join(this.dir, segment.name), 'utf8') };
      } catch (err) {
        // dropped by the bound while being read (an append ran meanwhile): take the new oldest
        if (this.segments.includes(segment)) throw err;
      }
    }
    return null;
  }

  async remove(segment: SpoolSegment): Promise<void> {
    const i = this.segments.indexOf(segment);
    if (i < 0) return; // dropped meanwhile by the bound
    this.segments.splice(i, 1);
    this.totalBytes -= segment.bytes;
    await rm(join(this.dir, segment.name), { force: true });
  }
}
