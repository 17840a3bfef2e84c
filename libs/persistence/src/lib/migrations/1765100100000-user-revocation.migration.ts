import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Token revocation and the shared login throttle (issue 18). `users.token_version` is carried by
 * every access token; bumping it (disable, role or scope change, password reset) kills the user's
 * tokens. A change of `disabled` or `token_version`, or a deleted user, is announced on
 * `users_changed` so every api process closes that user's live-feed sockets at once.
 * `login_attempts` holds the failed-login counters every api process shares.
 */
export class UserRevocation1765100100000 implements MigrationInterface {
  name = 'UserRevocation1765100100000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE users ADD COLUMN token_version integer NOT NULL DEFAULT 1`);
    await q.query(`
      CREATE FUNCTION notify_users_changed() RETURNS trigger AS $$
      DECLARE
        row_data record;
      BEGIN
        IF TG_OP = 'DELETE' THEN row_data := OLD; ELSE row_data := NEW; END IF;
        PERFORM pg_notify('users_changed', json_build_object('id', row_data.id)::text);
        RETURN NULL;
      END $$ LANGUAGE plpgsql`);
    await q.query(`
      CREATE TRIGGER users_changed AFTER DELETE OR UPDATE OF disabled, token_version ON users
      FOR EACH ROW EXECUTE FUNCTION notify_users_changed()`);
    // key: 'global', 'ip:<ip>' or 'user:<sha256 of lower-case username and ip>'
    await q.query(`
      CREATE TABLE login_attempts (
        key text PRIMARY KEY CHECK (length(key) <= 200),
        failures integer NOT NULL DEFAULT 0,
        window_start timestamptz NOT NULL DEFAULT now(),
        locked_until timestamptz,
        last_at timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE login_attempts`);
    await q.query(`DROP TRIGGER users_changed ON users`);
    await q.query(`DROP FUNCTION notify_users_changed()`);
    await q.query(`ALTER TABLE users DROP COLUMN token_version`);
  }
}
