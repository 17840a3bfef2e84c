import type { EntityManager } from 'typeorm';

export interface Cursor {
  low: number;
  high: number;
  pendingLow: number | null;
  pendingSince: Date | null;
}

/** `uplink_cursors`: how far each source has been read (locked for the caller's transaction). */
export class CursorRepository {
  /** The cursor of `source`, created at `initial` on the first read. */
  async lock(em: EntityManager, source: string, initial: () => Promise<number>): Promise<Cursor> {
    const rows: { low: string; high: string; pending_low: string | null; pending_since: Date | null }[] = await em.query(
      `SELECT low, high, pending_low, pending_since FROM uplink_cursors WHERE source = $1 FOR UPDATE`,
      [source],
    );
    const row = rows[0];
    if (row) return { low: Number(row.low), high: Number(row.high), pendingLow: row.pending_low === null ? null : Number(row.pending_low), pendingSince: row.pending_since };
    const start = await initial();
    await em.query(`INSERT INTO uplink_cursors (source, low, high) VALUES ($1, $2, $2)`, [source, start]);
    return { low: start, high: start, pendingLow: null, pendingSince: null };
  }

  async save(em: EntityManager, source: string, c: Cursor): Promise<void> {
    await em.query(`UPDATE uplink_cursors SET low = $2, high = $3, pending_low = $4, pending_since = $5, updated_at = now() WHERE source = $1`, [
      source,
      c.low,
      c.high,
      c.pendingLow,
      c.pendingSince,
    ]);
  }
}

/**
 * Settling (docs/architecture.md "The uplink"): `low` moves up to what `high` was at least
 * `settleMs` ago, so rows whose id was taken before a later-committed one are still found by the
 * re-read between low and high.
 */
export function settle(c: Cursor, nowMs: number, settleMs: number): Cursor {
  if (c.pendingSince === null || c.pendingLow === null) return { ...c, pendingLow: c.high, pendingSince: new Date(nowMs) };
  if (nowMs - c.pendingSince.getTime() < settleMs) return c;
  return { ...c, low: Math.max(c.low, c.pendingLow), pendingLow: c.high, pendingSince: new Date(nowMs) };
}
