import { z } from 'zod';

export const cliConfigSchema = z.object({
  DATABASE_URL: z.string().default('postgres://postgres@127.0.0.1:5432/safety_watch'),
});
export type CliConfig = z.infer<typeof cliConfigSchema>;

export function loadCliConfig(env: NodeJS.ProcessEnv = process.env): CliConfig {
  return cliConfigSchema.parse(env);
}
