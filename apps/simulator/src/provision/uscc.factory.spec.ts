import { isValidUscc } from '@sw/sensors';
import { demoUscc, orgCodeCheckChar } from './uscc.factory';

describe(orgCodeCheckChar.name, () => {
  it('matches the organization code inside a real USCC (91110108551385082Q)', () => {
    expect(orgCodeCheckChar('55138508')).toBe('2');
  });
});

describe(demoUscc.name, () => {
  it('makes valid GB 32100 codes with the region inside', () => {
    for (let serial = 0; serial < 500; serial++) {
      const code = demoUscc('320505', serial);
      expect(isValidUscc(code)).toBe(true);
      expect(code.slice(0, 8)).toBe('91320505');
    }
  });

  it('is deterministic and unique per serial', () => {
    expect(demoUscc('320506', 7)).toBe(demoUscc('320506', 7));
    const codes = new Set(Array.from({ length: 1_000 }, (_, i) => demoUscc('320507', 90_000 + i)));
    expect(codes.size).toBe(1_000);
  });

  it('refuses bad input', () => {
    expect(() => demoUscc('3205', 1)).toThrow(RangeError);
    expect(() => demoUscc('320505', 100_000)).toThrow(RangeError);
  });
});
