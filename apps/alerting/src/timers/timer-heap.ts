/** Where the heap keeps each key's position: a Map by default, or a field of the key itself. */
export interface HeapPositions<K> {
  get(key: K): number | undefined;
  set(key: K, i: number): void;
  delete(key: K): void;
}

/** Keys that carry their own heap position (`-1`: not in the heap): no Map entry per key (~40 bytes saved). */
export interface HeapIndexed {
  heapIndex: number;
}

export const OWN_POSITION: HeapPositions<HeapIndexed> = {
  get: (key) => (key.heapIndex < 0 ? undefined : key.heapIndex),
  set: (key, i) => void (key.heapIndex = i),
  delete: (key) => void (key.heapIndex = -1),
};

/**
 * A binary min-heap of keyed deadlines (epoch ms): at most one entry per key, so moving a key's
 * deadline is O(log n) in place and the heap never fills with stale entries. Parallel arrays and
 * one position per key (a Map, or a field of the key) keep it to a few dozen bytes per key.
 */
export class TimerHeap<K> {
  private readonly keys: K[] = [];
  private readonly ats: number[] = [];

  constructor(private readonly pos: HeapPositions<K> = new Map<K, number>()) {}

  get size(): number {
    return this.keys.length;
  }

  /** The key's deadline, or undefined when it has none. */
  get(key: K): number | undefined {
    const i = this.pos.get(key);
    return i === undefined ? undefined : this.ats[i];
  }

  /** Sets (adds or moves) the key's deadline. */
  set(key: K, at: number): void {
    const i = this.pos.get(key);
    if (i === undefined) {
      this.keys.push(key);
      this.ats.push(at);
      this.pos.set(key, this.keys.length - 1);
      this.up(this.keys.length - 1);
      return;
    }
    const old = this.ats[i] as number;
    this.ats[i] = at;
    if (at < old) this.up(i);
    else if (at > old) this.down(i);
  }

  delete(key: K): boolean {
    const i = this.pos.get(key);
    if (i === undefined) return false;
    this.removeAt(i);
    return true;
  }

  /** The earliest deadline, Infinity when empty. */
  peekAt(): number {
    return this.ats.length > 0 ? (this.ats[0] as number) : Infinity;
  }

  /** Removes and answers the key with the earliest deadline, if it is due by `now`. */
  popDue(now: number): { key: K; at: number } | undefined {
    if (this.ats.length === 0 || (this.ats[0] as number) > now) return undefined;
    const entry = { key: this.keys[0] as K, at: this.ats[0] as number };
    this.removeAt(0);
    return entry;
  }

  private removeAt(i: number): void {
    const last = this.keys.length - 1;
    this.pos.delete(this.keys[i] as K);
    if (i !== last) {
      this.place(i, this.keys[last] as K, this.ats[last] as number);
    }
    this.keys.pop();
    this.ats.pop();
    if (i < this.keys.length) {
      this.up(i);
      this.down(i);
    }
  }

  private place(i: number, key: K, at: number): void {
    this.keys[i] = key;
    this.ats[i] = at;
    this.pos.set(key, i);
  }

  private up(i: number): void {
    const key = this.keys[i] as K;
    const at = this.ats[i] as number;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if ((this.ats[parent] as number) <= at) break;
      this.place(i, this.keys[parent] as K, this.ats[parent] as number);
      i = parent;
    }
    this.place(i, key, at);
  }

  private down(i: number): void {
    const n = this.keys.length;
    const key = this.keys[i] as K;
    const at = this.ats[i] as number;
    for (;;) {
      const left = 2 * i + 1;
      if (left >= n) break;
      const right = left + 1;
      const child = right < n && (this.ats[right] as number) < (this.ats[left] as number) ? right : left;
      if ((this.ats[child] as number) >= at) break;
      this.place(i, this.keys[child] as K, this.ats[child] as number);
      i = child;
    }
    this.place(i, key, at);
  }
}
