import { parseArgs } from 'node:util';
import { parseGradingConfig } from '@sw/grading';
import { endOfShanghaiDay, shanghaiDayOf } from '@sw/kpi';
import { GRADING_LOCK, influxQuery, RiskGradingService } from '@sw/persistence';
import { normalizeRegionPrefix } from '@sw/sensors';
import type { DataSource } from 'typeorm';
import { loadCliConfig } from '../cli.config';
import type { Output } from './registry.commands';

const usageError = (message: string) => Object.assign(new Error(message), { code: 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE' });

/**
 * `grades compute [--day YYYY-MM-DD] [--region 3205]`: grades the day now (docs/domain.md "The closed
 * loop"), replacing its rows — for the demo and for operators after a ledger correction. Today is
 * graded as of now, a past day as of its end. Same code and lock as alerting's daily job.
 */
export async function gradesCompute(ds: DataSource, args: string[], out: Output, now = Date.now()): Promise<void> {
  const { values: v } = parseArgs({ args, options: { day: { type: 'string' }, region: { type: 'string' } } });
  const today = shanghaiDayOf(now);
  const day = v.day ?? today;
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day) || Number.isNaN(Date.parse(day))) throw usageError('--day must be YYYY-MM-DD');
  if (day > today) throw usageError('--day must not be in the future');
  const region = v.region === undefined ? null : normalizeRegionPrefix(v.region);
  if (v.region !== undefined && region === null) throw usageError('--region must be a region code prefix (2, 4 or 6 digits)');
  const config = loadCliConfig();
  const grading = parseGradingConfig({ weights: config.GRADING_WEIGHTS, thresholds: config.GRADING_THRESHOLDS });
  if (!grading.ok) throw usageError(`GRADING_WEIGHTS/GRADING_THRESHOLDS: ${grading.problems.join('; ')}`);
  const influx = influxQuery({ url: config.INFLUX_URL, database: config.INFLUX_DB, username: config.INFLUX_USERNAME, password: config.INFLUX_PASSWORD });
  const asOf = day === today ? now : endOfShanghaiDay(day).getTime();
  const result = await new RiskGradingService(ds, influx, grading.config).gradeDay({ day, asOf, regionPrefix: region, lockKey: GRADING_LOCK });
  if (!result.ran) throw usageError('another grading run holds the lock; try again in a moment');
  const l = result.levels;
  out({ ...result }, `graded ${result.graded} enterprises for ${day}: 红 ${l.red} · 橙 ${l.orange} · 黄 ${l.yellow} · 蓝 ${l.blue}`);
}
