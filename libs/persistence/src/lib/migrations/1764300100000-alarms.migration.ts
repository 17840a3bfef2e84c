import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Alarms with their full event history under one gap-free sequence, users, the audit log, the
 * evaluation state alerting needs after a restart, and point maintenance windows.
 */
export class Alarms1764300100000 implements MigrationInterface {
  name = 'Alarms1764300100000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE users (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        username text NOT NULL UNIQUE CHECK (length(username) BETWEEN 3 AND 64),
        password_hash text NOT NULL,
        role text NOT NULL CHECK (role IN ('admin','regulator','enterprise')),
        region_code text CHECK (region_code ~ '^([0-9]{2}){1,3}$'),
        enterprise_id uuid REFERENCES enterprises(id) ON DELETE CASCADE,
        display_name text,
        phone text,
        disabled boolean NOT NULL DEFAULT false,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CHECK (role <> 'regulator' OR region_code IS NOT NULL),
        CHECK (role <> 'enterprise' OR enterprise_id IS NOT NULL)
      )`);
    // One counter row: every event takes the next number inside its own transaction, which
    // serializes event writes on purpose so the sequence has no gaps and commits in order.
    await q.query(`CREATE TABLE event_sequence (id int PRIMARY KEY CHECK (id = 1), last bigint NOT NULL)`);
    await q.query(`INSERT INTO event_sequence (id, last) VALUES (1, 0)`);
    await q.query(`
      CREATE TABLE alarms (
        id uuid PRIMARY KEY,
        seq bigint NOT NULL,
        enterprise_id uuid NOT NULL REFERENCES enterprises(id) ON DELETE CASCADE,
        region_code text NOT NULL,
        gateway_id uuid NOT NULL,
        point_id uuid,
        rule_id text NOT NULL,
        subject text NOT NULL,
        kind text NOT NULL,
        tier text NOT NULL,
        condition text NOT NULL,
        stage text NOT NULL,
        acknowledged boolean NOT NULL,
        raised_at timestamptz NOT NULL,
        snapshot jsonb NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    // At most one alarm that is not closed per rule and subject: a restart can never duplicate one.
    await q.query(`CREATE UNIQUE INDEX alarms_open_uq ON alarms (rule_id, subject) WHERE stage <> 'closed'`);
    await q.query(`CREATE INDEX alarms_enterprise_idx ON alarms (enterprise_id, raised_at DESC)`);
    await q.query(`CREATE INDEX alarms_region_idx ON alarms (region_code text_pattern_ops, raised_at DESC)`);
    await q.query(`CREATE INDEX alarms_raised_idx ON alarms (raised_at DESC)`);
    await q.query(`CREATE INDEX alarms_not_closed_idx ON alarms (stage) WHERE stage <> 'closed'`);
    await q.query(`
      CREATE TABLE alarm_events (
        seq bigint PRIMARY KEY,
        alarm_id uuid NOT NULL REFERENCES alarms(id) ON DELETE CASCADE,
        event text NOT NULL,
        at timestamptz NOT NULL,
        actor jsonb,
        data jsonb NOT NULL DEFAULT '{}',
        enterprise_id uuid NOT NULL,
        region_code text NOT NULL,
        snapshot jsonb NOT NULL
      )`);
    await q.query(`CREATE INDEX alarm_events_alarm_idx ON alarm_events (alarm_id, seq)`);
    await q.query(`CREATE INDEX alarm_events_enterprise_idx ON alarm_events (enterprise_id, seq)`);
    await q.query(`CREATE INDEX alarm_events_region_idx ON alarm_events (region_code text_pattern_ops, seq)`);
    await q.query(`
      CREATE TABLE audit_log (
        id bigserial PRIMARY KEY,
        at timestamptz NOT NULL DEFAULT now(),
        actor_id uuid,
        username text,
        role text,
        action text NOT NULL,
        target_type text NOT NULL,
        target_id text,
        ip text,
        user_agent text,
        outcome text NOT NULL,
        data jsonb NOT NULL DEFAULT '{}'
      )`);
    await q.query(`CREATE INDEX audit_log_target_idx ON audit_log (target_type, target_id, at)`);
    await q.query(`
      CREATE TABLE rule_states (
        point_id uuid NOT NULL,
        rule_id text NOT NULL,
        state jsonb NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (point_id, rule_id)
      )`);
    await q.query(`ALTER TABLE points ADD COLUMN maintenance_until timestamptz, ADD COLUMN maintenance_reason text`);
    await q.query(`
      CREATE TABLE rules (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name text NOT NULL,
        scope_type text NOT NULL CHECK (scope_type IN ('point','enterprise','region')),
        point_id uuid REFERENCES points(id) ON DELETE CASCADE,
        enterprise_id uuid REFERENCES enterprises(id) ON DELETE CASCADE,
        region_code text,
        point_type text,
        definition jsonb NOT NULL,
        enabled boolean NOT NULL DEFAULT true,
        created_by uuid,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TRIGGER rules_registry_changed AFTER INSERT OR DELETE OR UPDATE ON rules
      FOR EACH ROW EXECUTE FUNCTION notify_registry_changed()`);
    await q.query(`DROP TRIGGER points_registry_changed ON points`);
    await q.query(`
      CREATE TRIGGER points_registry_changed AFTER INSERT OR DELETE OR UPDATE OF
        code, type, unit, name, location, mandatory, expected_interval_s, register, thresholds, gateway_id,
        maintenance_until ON points
      FOR EACH ROW EXECUTE FUNCTION notify_registry_changed()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE rules`);
    await q.query(`ALTER TABLE points DROP COLUMN maintenance_until, DROP COLUMN maintenance_reason`);
    for (const t of ['rule_states', 'audit_log', 'alarm_events', 'alarms', 'event_sequence', 'users']) await q.query(`DROP TABLE ${t}`);
  }
}
