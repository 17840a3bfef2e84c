import { isValidUscc } from '@sw/sensors';
import { benchPlan } from './bench-plan.factory';

describe(benchPlan.name, () => {
  it('plans N gateways × M points under a few enterprises, with stable codes', () => {
    const sut = benchPlan({ gateways: 1_201, points: 3, perEnterprise: 500 });
    expect(sut.enterprises).toHaveLength(3);
    expect(sut.enterprises.every((e) => isValidUscc(e.uscc))).toBe(true);
    expect(sut.gateways[0]).toEqual({ code: 'BENCH-00001', enterprise: 0 });
    expect(sut.gateways[1_200]).toEqual({ code: 'BENCH-01201', enterprise: 2 });
    expect(sut.pointCodes).toEqual(['T0001', 'T0002', 'T0003']);
    expect(benchPlan({ gateways: 1_201, points: 3, perEnterprise: 500 })).toEqual(sut);
  });

  it('refuses sizes the contracts do not allow', () => {
    expect(() => benchPlan({ gateways: 0, points: 1, perEnterprise: 1 })).toThrow(RangeError);
    expect(() => benchPlan({ gateways: 1, points: 1_001, perEnterprise: 1 })).toThrow(RangeError);
  });
});
