import { z } from 'zod';

export const cliConfigSchema = z.object({
  DATABASE_URL: z.string().default('postgres://postgres@127.0.0.1:5432/safety_watch'),
  /** `grades compute`: InfluxDB for the online rate, and the weights and thresholds alerting's job uses (empty = the defaults). */
  INFLUX_URL: z.string().url().default('http://127.0.0.1:8086'),
  INFLUX_DB: z.string().regex(/^[A-Za-z0-9_]+$/).default('safety_watch'),
  INFLUX_USERNAME: z.preprocess((v) => (v === '' ? undefined : v), z.string().optional()),
  INFLUX_PASSWORD: z.preprocess((v) => (v === '' ? undefined : v), z.string().optional()),
  GRADING_WEIGHTS: z.string().default(''),
  GRADING_THRESHOLDS: z.string().default(''),
});
export type CliConfig = z.infer<typeof cliConfigSchema>;

export function loadCliConfig(env: NodeJS.ProcessEnv = process.env): CliConfig {
  return cliConfigSchema.parse(env);
}
