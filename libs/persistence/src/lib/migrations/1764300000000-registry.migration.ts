import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Enterprises, gateways, points, status and online history.
 * Changes to gateways and points that matter to ingest (credentials, points, register maps,
 * thresholds) are announced with NOTIFY so running processes refresh their caches; the frequent
 * last-seen/online updates are deliberately not announced.
 */
export class Registry1764300000000 implements MigrationInterface {
  name = 'Registry1764300000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE EXTENSION IF NOT EXISTS pgcrypto`);
    await q.query(`
      CREATE TABLE enterprises (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name text NOT NULL,
        uscc text NOT NULL UNIQUE CHECK (uscc ~ '^[0-9A-HJ-NPQRTUWXY]{18}$'),
        region_code text NOT NULL CHECK (region_code ~ '^[0-9]{6}$'),
        risk_categories text[] NOT NULL DEFAULT '{}',
        dust_workers int CHECK (dust_workers >= 0),
        employees int CHECK (employees >= 0),
        status text NOT NULL DEFAULT 'operating' CHECK (status IN ('operating','suspended','closed')),
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX enterprises_region_idx ON enterprises (region_code text_pattern_ops)`);
    await q.query(`
      CREATE TABLE enterprise_status_changes (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        enterprise_id uuid NOT NULL REFERENCES enterprises(id) ON DELETE CASCADE,
        status text NOT NULL CHECK (status IN ('operating','suspended','closed')),
        effective_date date NOT NULL,
        recorded_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX enterprise_status_changes_idx ON enterprise_status_changes (enterprise_id, effective_date)`);
    await q.query(`
      CREATE TABLE gateways (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        enterprise_id uuid NOT NULL REFERENCES enterprises(id) ON DELETE CASCADE,
        code text NOT NULL UNIQUE CHECK (code ~ '^[A-Za-z0-9][A-Za-z0-9_-]{2,63}$'),
        protocol text NOT NULL CHECK (protocol IN ('mqtt','modbus-tcp')),
        modbus jsonb,
        secret_hash text,
        mosquitto_hash text,
        secret_rotated_at timestamptz,
        online boolean NOT NULL DEFAULT false,
        last_seen_at timestamptz,
        first_reading_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX gateways_enterprise_idx ON gateways (enterprise_id)`);
    await q.query(`
      CREATE TABLE gateway_state_changes (
        id bigserial PRIMARY KEY,
        gateway_id uuid NOT NULL REFERENCES gateways(id) ON DELETE CASCADE,
        online boolean NOT NULL,
        cause text NOT NULL,
        at timestamptz NOT NULL
      )`);
    await q.query(`CREATE INDEX gateway_state_changes_idx ON gateway_state_changes (gateway_id, at)`);
    await q.query(`
      CREATE TABLE points (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        gateway_id uuid NOT NULL REFERENCES gateways(id) ON DELETE CASCADE,
        code text NOT NULL CHECK (code ~ '^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$'),
        type text NOT NULL,
        unit text NOT NULL,
        name text NOT NULL,
        location text,
        mandatory boolean NOT NULL DEFAULT false,
        expected_interval_s int NOT NULL DEFAULT 60 CHECK (expected_interval_s > 0),
        register jsonb,
        thresholds jsonb,
        last_seen_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT points_gateway_code_uq UNIQUE (gateway_id, code)
      )`);
    await q.query(`CREATE INDEX points_gateway_idx ON points (gateway_id)`);
    await q.query(`
      CREATE FUNCTION notify_registry_changed() RETURNS trigger AS $$
      DECLARE
        row_data record;
      BEGIN
        IF TG_OP = 'DELETE' THEN row_data := OLD; ELSE row_data := NEW; END IF;
        PERFORM pg_notify('registry_changed', json_build_object(
          'table', TG_TABLE_NAME, 'op', TG_OP, 'id', row_data.id)::text);
        RETURN NULL;
      END $$ LANGUAGE plpgsql`);
    await q.query(`
      CREATE TRIGGER gateways_registry_changed AFTER INSERT OR DELETE OR UPDATE OF
        code, protocol, modbus, secret_hash, enterprise_id ON gateways
      FOR EACH ROW EXECUTE FUNCTION notify_registry_changed()`);
    await q.query(`
      CREATE TRIGGER points_registry_changed AFTER INSERT OR DELETE OR UPDATE OF
        code, type, unit, name, mandatory, expected_interval_s, register, thresholds, gateway_id ON points
      FOR EACH ROW EXECUTE FUNCTION notify_registry_changed()`);
    await q.query(`
      CREATE TRIGGER enterprises_registry_changed AFTER UPDATE OF region_code, status ON enterprises
      FOR EACH ROW EXECUTE FUNCTION notify_registry_changed()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE points`);
    await q.query(`DROP TABLE gateway_state_changes`);
    await q.query(`DROP TABLE gateways`);
    await q.query(`DROP TABLE enterprise_status_changes`);
    await q.query(`DROP TABLE enterprises`);
    await q.query(`DROP FUNCTION notify_registry_changed()`);
  }
}
