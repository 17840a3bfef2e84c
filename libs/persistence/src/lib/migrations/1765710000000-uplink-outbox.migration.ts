import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The uplink's store and forward (docs/architecture.md "The uplink to the province",
 * docs/contracts.md §6): `uplink_outbox` holds every message for the province until it answered
 * 200, in a gap-free sequence per enterprise (`uplink_sequences`); `uplink_cursors` are how far the
 * uplink has read its sources (ids, or the next readings window in epoch ms) (alarm_events, hazard_events, the readings windows);
 * `uplink_enterprise_state` the hash of each enterprise's ledger row as last forwarded;
 * `uplink_status` one row for the console: last success, last failure and why.
 */
export class UplinkOutbox1765710000000 implements MigrationInterface {
  name = 'UplinkOutbox1765710000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE uplink_outbox (
        id bigserial PRIMARY KEY,
        enterprise_id uuid NOT NULL REFERENCES enterprises(id) ON DELETE CASCADE,
        seq bigint NOT NULL CHECK (seq > 0),
        type text NOT NULL CHECK (type IN ('enterprise', 'readings', 'alarm_event', 'hazard_event')),
        message_id text NOT NULL UNIQUE,
        source_at timestamptz NOT NULL,
        payload jsonb NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        attempts int NOT NULL DEFAULT 0,
        next_attempt_at timestamptz NOT NULL DEFAULT now(),
        last_error text,
        delivered_at timestamptz,
        UNIQUE (enterprise_id, seq)
      )`);
    // the head of each enterprise's queue, and the backlog
    await q.query(`CREATE INDEX uplink_outbox_pending ON uplink_outbox (enterprise_id, seq) WHERE delivered_at IS NULL`);
    await q.query(`CREATE INDEX uplink_outbox_delivered ON uplink_outbox (delivered_at) WHERE delivered_at IS NOT NULL`);
    await q.query(`CREATE TABLE uplink_sequences (enterprise_id uuid PRIMARY KEY REFERENCES enterprises(id) ON DELETE CASCADE, last_seq bigint NOT NULL)`);
    await q.query(`
      CREATE TABLE uplink_cursors (
        source text PRIMARY KEY,
        -- every row at or below low is in the outbox; above it up to high what a scan found
        low bigint NOT NULL,
        high bigint NOT NULL,
        -- high as it was at pending_since: becomes low once UPLINK_SETTLE_MS have passed
        pending_low bigint,
        pending_since timestamptz,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE uplink_enterprise_state (
        enterprise_id uuid PRIMARY KEY REFERENCES enterprises(id) ON DELETE CASCADE,
        hash text NOT NULL,
        version int NOT NULL
      )`);
    await q.query(`
      CREATE TABLE uplink_status (
        id int PRIMARY KEY CHECK (id = 1),
        adapter text,
        endpoint text,
        last_success_at timestamptz,
        last_failure_at timestamptz,
        last_error text,
        failures bigint NOT NULL DEFAULT 0,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of ['uplink_status', 'uplink_enterprise_state', 'uplink_cursors', 'uplink_sequences', 'uplink_outbox']) await q.query(`DROP TABLE ${t}`);
  }
}
