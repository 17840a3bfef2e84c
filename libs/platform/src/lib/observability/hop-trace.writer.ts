import { appendFileSync } from 'node:fs';
import { hopTrace, hopTraceSettings } from '@sw/sensors';

/**
 * Benchmarks only (HOP_TRACE_FILE and HOP_TRACE_POINTS set): turns the per-hop trace on and appends
 * its marks to the file as JSON lines every 200 ms, off the alarm path. Unset, nothing runs.
 */
export function startHopTraceWriter(env: Record<string, string | undefined> = process.env): void {
  const settings = hopTraceSettings(env);
  if (!settings) return;
  hopTrace.enable(settings.points, () => performance.timeOrigin + performance.now());
  const flush = (): void => {
    const marks = hopTrace.take();
    if (marks.length > 0) appendFileSync(settings.file, marks.map((m) => JSON.stringify(m)).join('\n') + '\n');
  };
  setInterval(flush, 200).unref();
  process.on('exit', flush);
}
