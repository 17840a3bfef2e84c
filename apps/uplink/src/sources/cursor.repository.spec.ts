import { settle, type Cursor } from './cursor.repository';

// docs/architecture.md "The uplink to the province": low catches up with high only after the settle time
describe('settle', () => {
  const at = (ms: number) => new Date(ms);
  it('remembers high, and moves low up to it once the settle time has passed', () => {
    const start: Cursor = { low: 10, high: 20, pendingLow: null, pendingSince: null };
    const first = settle(start, 1000, 30_000);
    expect(first).toEqual({ low: 10, high: 20, pendingLow: 20, pendingSince: at(1000) });
    const grown = { ...first, high: 35 };
    expect(settle(grown, 30_999, 30_000)).toEqual(grown);
    expect(settle(grown, 31_000, 30_000)).toEqual({ low: 20, high: 35, pendingLow: 35, pendingSince: at(31_000) });
  });
});
