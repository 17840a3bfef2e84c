// issue 14: 接入率 — the mandatory set registered and every mandatory point reported within N days as of D.
import { CONNECTION_WINDOW_DAYS, enterpriseConnection } from './connection-rate';
import { endOfShanghaiDay } from './days';

const DAY = 86_400_000;
const factory = {
  point: (over: Partial<Parameters<typeof enterpriseConnection>[0][number]> = {}) => ({ mandatory: true, type: 'co', lastReadingAt: null as number | null, ...over }),
};

describe(enterpriseConnection.name, () => {
  for (const asOf of ['2024-12-31', '2025-12-31']) {
    const at = endOfShanghaiDay(asOf).getTime();

    it(`as of ${asOf}: connected when every mandatory point reported within the last 7 days`, () => {
      const sut = enterpriseConnection([factory.point({ lastReadingAt: at - 1 }), factory.point({ lastReadingAt: at - 7 * DAY + 1 }), factory.point({ mandatory: false })], at);
      expect(sut).toEqual({ registered: true, connected: true, mandatoryPoints: 2, reportingPoints: 2, missingTypes: [] });
    });

    it(`as of ${asOf}: one reading long ago no longer connects (was: connected forever)`, () => {
      const sut = enterpriseConnection([factory.point({ lastReadingAt: at - 1 }), factory.point({ lastReadingAt: at - 7 * DAY })], at);
      expect(sut).toMatchObject({ registered: true, connected: false, mandatoryPoints: 2, reportingPoints: 1 });
    });

    it(`as of ${asOf}: a reading after the end of the day does not count`, () => {
      expect(enterpriseConnection([factory.point({ lastReadingAt: at + 1 })], at)).toMatchObject({ connected: false, reportingPoints: 0 });
    });
  }

  it('no mandatory point registered: not connected, however much the other points report', () => {
    const at = endOfShanghaiDay('2025-12-31').getTime();
    expect(enterpriseConnection([factory.point({ mandatory: false, lastReadingAt: at - 1 })], at)).toEqual({ registered: false, connected: false, mandatoryPoints: 0, reportingPoints: 0, missingTypes: [] });
  });

  it('with a template: every required type must be among the mandatory points; the window is configurable', () => {
    const at = endOfShanghaiDay('2025-12-31').getTime();
    const points = [factory.point({ type: 'co', lastReadingAt: at - 2 * DAY })];
    expect(enterpriseConnection(points, at, ['co', 'water_flow'])).toMatchObject({ registered: false, connected: false, missingTypes: ['water_flow'] });
    expect(enterpriseConnection(points, at, ['co'])).toMatchObject({ registered: true, connected: true });
    expect(enterpriseConnection(points, at, null, 1)).toMatchObject({ connected: false });
    expect(CONNECTION_WINDOW_DAYS).toBe(7);
  });
});
