import type { z } from 'zod';
import { RegistryError } from './registry.errors';
import { describeIssues } from './registry.schema';

/** Validates `input` against `schema`, throwing `RegistryError('invalid')` with every reason. */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown, what: string): z.output<S> {
  const result = schema.safeParse(input);
  if (!result.success) {
    const details = describeIssues(result.error);
    throw new RegistryError('invalid', `invalid ${what}: ${details.join('; ')}`, details);
  }
  return result.data;
}
