import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Notification contacts (per enterprise, duty officers per region), escalation policies per region
 * (data; docs/domain.md defaults apply where none is set) and the notification outbox: rows inserted in
 * the transaction of the alarm events that cause them, one per alarm event, recipient and channel.
 */
export class Notifications1764300400000 implements MigrationInterface {
  name = 'Notifications1764300400000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE enterprise_contacts (
        enterprise_id uuid NOT NULL REFERENCES enterprises(id) ON DELETE CASCADE,
        role text NOT NULL CHECK (role IN ('safety_officer','principal')),
        name text NOT NULL,
        phone text,
        wecom_key text,
        wechat_openid text,
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (enterprise_id, role)
      )`);
    await q.query(`
      CREATE TABLE duty_officers (
        region_code text NOT NULL CHECK (region_code ~ '^([0-9]{2}){2,3}$'),
        position int NOT NULL,
        name text NOT NULL,
        phone text,
        wecom_key text,
        wechat_openid text,
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (region_code, position)
      )`);
    await q.query(`
      CREATE TABLE notification_policies (
        region_code text PRIMARY KEY CHECK (region_code ~ '^([0-9]{2}){1,3}$'),
        policy jsonb NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE notification_outbox (
        id bigserial PRIMARY KEY,
        dedup_key text NOT NULL,
        alarm_id uuid NOT NULL REFERENCES alarms(id) ON DELETE CASCADE,
        event_seq bigint,
        kind text NOT NULL CHECK (kind IN ('event','repeat')),
        recipient text NOT NULL,
        channel text NOT NULL,
        address jsonb NOT NULL,
        providers text[] NOT NULL,
        step int NOT NULL DEFAULT 0,
        step_attempts int NOT NULL DEFAULT 0,
        attempts int NOT NULL DEFAULT 0,
        title text NOT NULL,
        body text NOT NULL,
        digest boolean NOT NULL DEFAULT false,
        status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending','sent','failed','cancelled')),
        next_attempt_at timestamptz NOT NULL DEFAULT now(),
        lease_id uuid,
        lease_until timestamptz,
        provider text,
        provider_message_id text,
        sent_at timestamptz,
        delivered_at timestamptz,
        last_error text,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT notification_outbox_dedup_uq UNIQUE (dedup_key)
      )`);
    await q.query(`CREATE INDEX notification_outbox_due_idx ON notification_outbox (next_attempt_at) WHERE status = 'pending'`);
    await q.query(`CREATE INDEX notification_outbox_sent_idx ON notification_outbox (channel, (address->>'to'), sent_at) WHERE status = 'sent'`);
    await q.query(`CREATE INDEX notification_outbox_message_idx ON notification_outbox (provider_message_id) WHERE provider_message_id IS NOT NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE notification_outbox`);
    await q.query(`DROP TABLE notification_policies`);
    await q.query(`DROP TABLE duty_officers`);
    await q.query(`DROP TABLE enterprise_contacts`);
  }
}
