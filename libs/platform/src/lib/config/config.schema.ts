import { secretProblem, type SecretKind } from '@sw/secrets';
import { z } from 'zod';

/** A TCP port setting (0 = any free port, as the tests use). */
export const portSetting = z.coerce.number().int().min(0).max(65535);

/** A secret setting, refused at boot with its name and the reason (never the value): rules in libs/secrets. */
export const secretSetting = (name: string, kind: SecretKind) =>
  z.string().superRefine((value, ctx) => {
    const problem = secretProblem(value, kind);
    if (problem) ctx.addIssue({ code: 'custom', message: `${name} ${problem}` });
  });

/** An optional setting where an empty value (`FOO=` in an env file) means unset. */
export const optionalSetting = <T extends z.ZodType>(schema: T) => z.preprocess((v) => (v === '' ? undefined : v), schema.optional());

/** PostgreSQL, the same default in every app (single-node mode). */
export const databaseUrlSetting = z.string().default('postgres://postgres@127.0.0.1:5432/safety_watch');

/**
 * Bearer token for `/metrics` and the details of `/health` (24 characters at least); unset = only
 * requests from this host, not through a proxy (issue 18). Public `/health` answers `{status}` only.
 */
export const metricsTokenSetting = optionalSetting(z.string().min(24, 'METRICS_TOKEN must have at least 24 characters'));

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace'] as const;
export const logLevelSetting = z.enum(LOG_LEVELS).default('info');
/** `json` lines in production, `pretty` for a terminal. */
export const logFormatSetting = z.enum(['json', 'pretty']).default('json');

/** The shell's settings that close every app's schema: who reads `/metrics`, and the logs. */
export const shellSettings = {
  METRICS_TOKEN: metricsTokenSetting,
  LOG_LEVEL: logLevelSetting,
  LOG_FORMAT: logFormatSetting,
};

/**
 * Parses the environment once at boot; a bad setting stops the process with every reason, one a
 * line: `invalid <app> configuration:` then `  NAME: reason`.
 */
export function parseConfig<S extends z.ZodType>(app: string, schema: S, env: Record<string, string | undefined>): z.output<S> {
  const result = schema.safeParse(env);
  if (!result.success) {
    const reasons = result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('\n  ');
    throw new Error(`invalid ${app} configuration:\n  ${reasons}`);
  }
  return result.data;
}
