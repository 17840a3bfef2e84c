import { createZodDto } from 'nestjs-zod';
import { z } from 'zod';
import { isoTime } from '../http/paging.dto';

/** `<n>s`, `<n>m`, `<n>h` or `<n>d` (docs/contracts.md §4). */
export const EVERY = /^([1-9][0-9]{0,5})(s|m|h|d)$/;
const UNIT_MS = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

export function everyMs(every: string): number {
  const m = EVERY.exec(every);
  if (!m) throw new RangeError(`bad every: ${every}`);
  return Number(m[1]) * UNIT_MS[m[2] as keyof typeof UNIT_MS];
}

export const readingsQuerySchema = z
  .object({
    from: isoTime.optional(),
    to: isoTime.optional(),
    every: z.string().regex(EVERY, 'every must be <n>s, <n>m, <n>h or <n>d').optional(),
  })
  .refine((q) => !q.from || !q.to || q.from < q.to, { message: 'from must be before to', path: ['from'] });

export class ReadingsQueryDto extends createZodDto(readingsQuerySchema) {}
