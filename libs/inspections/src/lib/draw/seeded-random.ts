import { createHash, randomBytes } from 'node:crypto';

/** Name of the generator below, stored with every draw so a replay knows what to run. */
export const DRAW_ALGORITHM = 'sha256-counter-v1/efraimidis-spirakis';

/**
 * A seeded stream of uniform numbers in (0, 1): a SHA-256 counter generator.
 *
 * Block `b` (b = 0, 1, 2, …) is `SHA-256(utf8(seed + ":" + b))`, 32 bytes. Each block yields four
 * numbers: bytes 8k … 8k+7 (k = 0 … 3) read as a big-endian unsigned 64-bit integer, its top 53
 * bits `x`, and the number `(x + 0.5) / 2^53` — never 0 and never 1, so `ln(u)` is finite.
 *
 * SHA-256 and integer arithmetic are the same on every Node version, platform and language, so
 * anyone can recompute the stream from the seed (e.g. `printf '%s' "seed:0" | sha256sum`).
 */
export class SeededRandom {
  private block = 0;
  private buffer: Buffer = Buffer.alloc(0);
  private offset = 32;

  constructor(readonly seed: string) {}

  /** The next number of the stream, in (0, 1). */
  next(): number {
    if (this.offset >= 32) {
      this.buffer = createHash('sha256').update(`${this.seed}:${this.block}`, 'utf8').digest();
      this.block += 1;
      this.offset = 0;
    }
    const x = this.buffer.readBigUInt64BE(this.offset) >> 11n; // top 53 bits
    this.offset += 8;
    return (Number(x) + 0.5) / 2 ** 53;
  }
}

/** A fresh seed: 128 random bits as 32 hex characters. */
export function newSeed(): string {
  return randomBytes(16).toString('hex');
}
