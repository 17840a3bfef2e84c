// Asia/Shanghai calendar days (UTC+8, no daylight saving) as `YYYY-MM-DD`, instants as epoch ms.
const DAY_MS = 86_400_000;
const SHANGHAI_OFFSET_MS = 8 * 3_600_000;

/** The start of an Asia/Shanghai day (00:00 +08:00) in epoch ms. */
export function startOfShanghaiDay(date: string): number {
  return Date.parse(`${date}T00:00:00Z`) - SHANGHAI_OFFSET_MS;
}

/** The end of an Asia/Shanghai day, i.e. the next day's 00:00 +08:00, as an instant. */
export function endOfShanghaiDay(date: string): Date {
  return new Date(startOfShanghaiDay(date) + DAY_MS);
}

/** The Asia/Shanghai day an instant falls on. */
export function shanghaiDayOf(ms: number): string {
  return new Date(ms + SHANGHAI_OFFSET_MS).toISOString().slice(0, 10);
}

/** Every day from `from` to `to`, both included. */
export function daysBetween(from: string, to: string): string[] {
  const out: string[] = [];
  for (let t = Date.parse(`${from}T00:00:00Z`); t <= Date.parse(`${to}T00:00:00Z`); t += DAY_MS) out.push(new Date(t).toISOString().slice(0, 10));
  return out;
}
