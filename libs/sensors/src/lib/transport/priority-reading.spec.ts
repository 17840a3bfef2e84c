import { POINT_CATALOG } from '../catalog/point-catalog.constants';
import { decodePriorityReading, encodePriorityReading, inBand, NO_BAND, setpointBand, type PriorityReading } from './priority-reading';

const T0 = Date.UTC(2026, 11, 4, 9);

describe(setpointBand.name, () => {
  it('starts twice the deadband below the lowest high setpoint and ends twice it above the highest low one', () => {
    // CO: yellow 24 ppm, default deadband 2 % of it (docs/contracts.md §4)
    const co = setpointBand(POINT_CATALOG.co.thresholds ?? null);
    expect(co.highFrom).toBeCloseTo(24 - 2 * 0.48);
    expect(inBand(co, 23.1)).toBe(true);
    expect(inBand(co, 22.9)).toBe(false);
    const o2 = setpointBand(POINT_CATALOG.o2.thresholds ?? null);
    expect(inBand(o2, 19.5 + 0.7)).toBe(true);
    expect(inBand(o2, 20.9)).toBe(false);
  });

  it('is empty without setpoints, and a reading without a value is never in it', () => {
    expect(setpointBand(null)).toBe(NO_BAND);
    expect(inBand(setpointBand({ high: { yellow: 10 }, deadband: 0 }), NaN)).toBe(false);
  });
});

describe('priority reading codec', () => {
  it('decodes what was encoded, a missing value included, and refuses anything else', () => {
    const r: PriorityReading = { pointId: 'p-1', ts: T0, value: NaN, quality: 'bad', receivedAt: T0 + 4, prevTs: T0 - 1000, prevReceivedAt: T0 - 996 };
    expect(decodePriorityReading(Buffer.from(encodePriorityReading(r)))).toEqual(r);
    expect(decodePriorityReading('{"pointId":"p-1"}')).toBeNull();
    expect(decodePriorityReading('not json')).toBeNull();
    expect(decodePriorityReading(JSON.stringify(['p-1', T0, 1, 'great', T0, T0, T0]))).toBeNull();
  });
});
