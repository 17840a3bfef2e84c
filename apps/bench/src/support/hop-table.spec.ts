import type { HopMark } from '@sw/sensors';
import { hopTable } from './hop-table';

describe(hopTable.name, () => {
  it('joins the apps\u2019 marks to a probe sample through the committed seq and times each hop from the one before', () => {
    const key = 'p1@1000';
    const marks: HopMark[] = [
      { hop: 'ingest.accept', key, t: 101 },
      { hop: 'ingest.publish', key, t: 102 },
      { hop: 'ingest.publish', key, t: 105 }, // the batched copy: the first time counts
      { hop: 'alerting.receive', key, t: 103 },
      { hop: 'alerting.evaluate', key, t: 103.5 },
      { hop: 'alerting.commit', key, t: 106, seq: 7 },
      { hop: 'alerting.publish', key, t: 106.5, seq: 7 },
      { hop: 'api.receive', key: '', t: 108, seq: 7 },
      { hop: 'api.socket', key: '', t: 108.5, seq: 7 },
      { hop: 'ingest.accept', key: 'p1@1', t: 1 }, // another reading's marks stay out
    ];
    const rows = hopTable(marks, [{ publishedAt: 100, arrivedAt: 110, seq: 7 }]);
    expect(Object.fromEntries(rows.map((r) => [r.hop, r.p50]))).toEqual({
      'ingest.accept': 1,
      'ingest.publish': 1,
      'alerting.receive': 1,
      'alerting.evaluate': 0.5,
      'alerting.commit': 2.5,
      'alerting.publish': 0.5,
      'api.receive': 1.5,
      'api.socket': 0.5,
      'probe.socket': 1.5,
      total: 10,
    });
  });

  it('spans a hop that was not marked into the next row, and ignores a mark outside the sample', () => {
    const rows = hopTable([{ hop: 'alerting.commit', key: 'k', t: 50, seq: 3 }, { hop: 'ingest.accept', key: 'k', t: 5 }], [{ publishedAt: 10, arrivedAt: 60, seq: 3 }]);
    const by = Object.fromEntries(rows.map((r) => [r.hop, r]));
    expect(by['ingest.accept']?.n).toBe(0);
    expect(by['alerting.commit']?.p50).toBe(40);
    expect(by['probe.socket']?.p50).toBe(10);
  });
});
