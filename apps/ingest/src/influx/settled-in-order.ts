/**
 * Numbered tasks (1, 2, …) that finish in any order, and waiters for "every task up to n has
 * finished". The InfluxDB writer's batches (durable: written, spooled or given up) and the external
 * broker's publishes for alerting (acknowledged or failed) both hold gateways' PUBACKs on it.
 */
export class SettledInOrder {
  /** every task up to this number has finished */
  private upToNo = 0;
  private readonly ahead = new Set<number>();
  private readonly waiters: { no: number; resolve: () => void }[] = [];

  get settledUpTo(): number {
    return this.upToNo;
  }

  /** Task `no` finished; wakes the waiters it completes, in the order they asked. */
  settle(no: number): void {
    this.ahead.add(no);
    while (this.ahead.delete(this.upToNo + 1)) this.upToNo++;
    while ((this.waiters[0]?.no ?? Infinity) <= this.upToNo) this.waiters.shift()?.resolve();
  }

  /** Settles once every task up to `no` has finished (at once when they have). */
  upTo(no: number): Promise<void> {
    if (no <= this.upToNo) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ no, resolve }));
  }
}
