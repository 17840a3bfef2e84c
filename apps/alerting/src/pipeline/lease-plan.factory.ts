/** Who holds what, as `pg_locks` shows it: live member slots (sorted) and each leased partition's backend. */
export interface LeaseView {
  members: number[];
  holders: Map<number, number>;
}

export interface LeasePlan {
  /** Partitions we believe are ours but PostgreSQL says are not (the lease session was replaced). */
  gone: number[];
  /** Partitions over our fair share, to hand over. */
  handOver: number[];
  /** Free partitions to try to take, up to our fair share. */
  take: number[];
}

/**
 * Our fair share of `partitions` among the live members: ⌊P/n⌋, and one more for the first P mod n
 * members by slot. Every member computes the same split, so the shares add up to P.
 */
export function fairShare(view: LeaseView, partitions: number, slot: number): number {
  const n = Math.max(1, view.members.length);
  const rank = Math.max(0, view.members.indexOf(slot));
  return Math.floor(partitions / n) + (rank < partitions % n ? 1 : 0);
}

/**
 * What to do on one look at the leases. Hands over the highest-numbered extras and takes the
 * lowest-numbered free partitions, so repeated looks converge and do not shuffle partitions around.
 */
export function planLeases(view: LeaseView, partitions: number, pid: number, slot: number, owned: ReadonlySet<number>): LeasePlan {
  const gone = [...owned].filter((p) => view.holders.get(p) !== pid).sort((a, b) => a - b);
  const still = [...owned].filter((p) => view.holders.get(p) === pid).sort((a, b) => a - b);
  const share = fairShare(view, partitions, slot);
  const handOver = still.length > share ? still.slice(share) : [];
  const take: number[] = [];
  for (let p = 0; p < partitions && still.length + take.length < share; p++) {
    if (!view.holders.has(p)) take.push(p);
  }
  return { gone, handOver, take };
}
