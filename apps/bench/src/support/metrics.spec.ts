import { sumMetric } from './metrics';

describe(sumMetric.name, () => {
  const page = [
    '# HELP alerting_readings_ignored_total Readings not evaluated, by reason',
    'alerting_readings_ignored_total{reason="unknown_point"} 3',
    'alerting_readings_ignored_total{reason="stale"} 4',
    'alerting_readings_evaluated_total 1200',
    'alerting_readings_evaluated_total_extra 99',
  ].join('\n');

  it('sums every label set of a metric', () => {
    expect(sumMetric(page, 'alerting_readings_ignored_total')).toBe(7);
  });

  it('matches the exact name only', () => {
    expect(sumMetric(page, 'alerting_readings_evaluated_total')).toBe(1200);
  });

  it('is 0 for a metric the page does not have', () => {
    expect(sumMetric(page, 'ingest_spool_bytes')).toBe(0);
  });
});
