import type { DataSource } from 'typeorm';
import { gradesCompute } from './grading.commands';

// Bad options are refused before the database is touched: no data source is given here.
const noDatabase = null as unknown as DataSource;
const now = Date.parse('2026-06-10T20:00:00Z'); // 2026-06-11 in Asia/Shanghai

describe('grades compute', () => {
  it.each([
    [['--day', '2026-6-1'], '--day must be YYYY-MM-DD'],
    [['--day', '2026-06-12'], '--day must not be in the future'],
    [['--region', '3205x'], '--region must be a region code prefix (2, 4 or 6 digits)'],
  ])('refuses %j', async (args, message) => {
    await expect(gradesCompute(noDatabase, args, () => undefined, now)).rejects.toMatchObject({ message, code: 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE' });
  });
});
