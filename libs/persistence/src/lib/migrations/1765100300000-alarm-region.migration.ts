import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * An alarm is overseen by the region its enterprise is in now, not the one it was in when the alarm
 * was raised (issue 18: a regulator kept seeing a moved enterprise's alarms, the new one did not).
 * `alarms.region_code` is kept equal to `enterprises.region_code` by a trigger, in the transaction
 * that moves the enterprise, whoever moves it (REST, ledger import, CLI); every scope check, list and
 * later event reads it. `alarm_events.region_code` stays as history: the region each event was
 * committed under.
 */
export class AlarmRegion1765100300000 implements MigrationInterface {
  name = 'AlarmRegion1765100300000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE FUNCTION alarms_follow_enterprise_region() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        UPDATE alarms SET region_code = NEW.region_code WHERE enterprise_id = NEW.id AND region_code <> NEW.region_code;
        RETURN NULL;
      END $$`);
    await q.query(`
      CREATE TRIGGER enterprises_region_moved AFTER UPDATE OF region_code ON enterprises
        FOR EACH ROW WHEN (OLD.region_code IS DISTINCT FROM NEW.region_code)
        EXECUTE FUNCTION alarms_follow_enterprise_region()`);
    // enterprises moved before this migration
    await q.query(`UPDATE alarms a SET region_code = e.region_code FROM enterprises e WHERE e.id = a.enterprise_id AND a.region_code <> e.region_code`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER enterprises_region_moved ON enterprises`);
    await q.query(`DROP FUNCTION alarms_follow_enterprise_region()`);
  }
}
