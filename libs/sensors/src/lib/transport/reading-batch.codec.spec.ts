import { decodeReadingBatch, encodePointId, encodeReadingBatch, ReadingBatchEncoder, type NormalizedReading } from './reading-batch.codec';

const T0 = Date.UTC(2026, 10, 28, 10);

const factory = {
  reading: (over: Partial<NormalizedReading> = {}): NormalizedReading => ({
    pointId: '00000000-0000-4000-8000-000000000001',
    ts: T0,
    value: 18.2,
    quality: 'good',
    receivedAt: T0 + 3,
    ...over,
  }),
};

describe('reading batch codec', () => {
  // docs/architecture.md nothing lost: what ingest publishes reaches alerting unchanged
  it('decodes exactly what was encoded, in order', () => {
    const readings = [
      factory.reading(),
      factory.reading({ pointId: 'p-2', ts: T0 + 1, value: -0.125, quality: 'uncertain' }),
      factory.reading({ pointId: '点-3', ts: T0 + 2, value: 1e300, quality: 'bad', receivedAt: T0 + 9 }),
    ];
    expect(decodeReadingBatch(encodeReadingBatch(readings))).toEqual(readings);
  });

  it('an encoder starts empty again after each batch', () => {
    const sut = new ReadingBatchEncoder();
    const id = encodePointId('p-1');
    sut.add(id, T0, 1, 'good', T0);
    sut.add(id, T0 + 1, 2, 'good', T0);
    expect(decodeReadingBatch(sut.finish()).map((r) => r.value)).toEqual([1, 2]);
    expect(sut.length).toBe(0);
    sut.add(id, T0 + 2, 3, 'bad', T0);
    expect(decodeReadingBatch(sut.finish()).map((r) => [r.value, r.quality])).toEqual([[3, 'bad']]);
  });

  // docs/contracts.md §2: a failed register read is a bad reading without a value (alerting has always seen null)
  it('carries a reading without a value as null', () => {
    const sut = new ReadingBatchEncoder();
    sut.add(encodePointId('p-1'), T0, Number.NaN, 'bad', T0);
    expect(decodeReadingBatch(sut.finish())[0]?.value).toBeNull();
  });

  // rolling upgrade: alerting and api still read batches of an ingest that writes v1
  it('still decodes v1 JSON batches, without their gateway and enterprise ids', () => {
    const v1 = JSON.stringify({ v: 1, r: [['p-1', 'g-1', 'e-1', T0, 18.2, 1, T0 + 3], ['p-2', 'g-1', 'e-1', T0, null, 2, T0 + 3]] });
    expect(decodeReadingBatch(Buffer.from(v1))).toEqual([
      factory.reading({ pointId: 'p-1', quality: 'uncertain' }),
      factory.reading({ pointId: 'p-2', value: null as unknown as number, quality: 'bad' }),
    ]);
    expect(decodeReadingBatch(v1)).toHaveLength(2);
  });

  it('refuses what it did not write', () => {
    const good = encodeReadingBatch([factory.reading()]);
    expect(() => decodeReadingBatch(good.subarray(0, good.length - 1))).toThrow(/truncated/);
    expect(() => decodeReadingBatch(Uint8Array.of(...good, 0))).toThrow(/trailing/);
    expect(() => decodeReadingBatch(Uint8Array.of(9, 0, 0, 0, 0))).toThrow(/not a reading batch/);
    expect(() => decodeReadingBatch(Uint8Array.of(2, 255, 255, 255, 255))).toThrow(/truncated/);
    expect(() => decodeReadingBatch('{"v":3}')).toThrow(/not a v1/);
  });

  it('refuses a point id that does not fit its length byte', () => {
    expect(() => encodePointId('')).toThrow(RangeError);
    expect(() => encodePointId('x'.repeat(256))).toThrow(RangeError);
    expect(encodePointId('x'.repeat(255))).toHaveLength(255);
  });
});
