import { mkdir, open, readdir, readFile, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';

export interface SpoolSegment {
  name: string;
  bytes: number;
  count: number;
}

/**
 * A bounded FIFO of batches on disk: one file a batch, named by a monotonically increasing
 * number so the oldest drains first. It never drops what it holds: at the bound it refuses the
 * new batch, and a write that fails (ENOSPC, EIO) leaves no partial file behind; the caller keeps
 * a refused batch (docs/architecture.md, "What nothing lost means").
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
   * Appends a batch: true once it is on disk (fsync'd), false when it would take the spool past its
   * bound (an empty spool takes any one batch, or a batch larger than the bound could never be
   * spooled); rejects when the disk fails. Appends run one at a time (callers do not wait for each
   * other), so the list stays in file-name order: FIFO.
   */
  append(body: string | Uint8Array, count: number): Promise<boolean> {
    const done = this.appending.then(() => this.write(body, count));
    this.appending = done.catch(() => undefined);
    return done;
  }

  private async write(body: string | Uint8Array, count: number): Promise<boolean> {
    const bytes = typeof body === 'string' ? Buffer.byteLength(body) : body.byteLength;
    if (this.segments.length > 0 && this.totalBytes + bytes > this.maxBytes) return false;
    const name = `${String(this.next++).padStart(16, '0')}-${count}.json`;
    const path = join(this.dir, name);
    // fsync'd before it counts: a spooled batch stands for readings whose PUBACK may go out now
    try {
      const file = await open(path, 'w');
      try {
        await file.writeFile(body);
        await file.sync();
      } finally {
        await file.close();
      }
    } catch (err) {
      await rm(path, { force: true }).catch(() => undefined); // a partial file would be read as a batch after a restart
      throw err;
    }
    this.segments.push({ name, bytes, count });
    this.totalBytes += bytes;
    return true;
  }

  /** The oldest batch, not yet removed. */
  async peek(): Promise<{ segment: SpoolSegment; body: string } | null> {
    const segment = this.segments[0];
    return segment ? { segment, body: await readFile(join(this.dir, segment.name), 'utf8') } : null;
  }

  async remove(segment: SpoolSegment): Promise<void> {
    const i = this.segments.indexOf(segment);
    if (i < 0) return; // removed already
    this.segments.splice(i, 1);
    this.totalBytes -= segment.bytes;
    await rm(join(this.dir, segment.name), { force: true });
  }
}
