import { POINT_CATALOG } from './point-catalog.constants';
import { isUnitAccepted, mgPerM3ToPpm, ppmToMgPerM3, specForUnit, unitFactor } from './point-units';

const CO = 28.01; // g/mol

describe('ppmToMgPerM3 / mgPerM3ToPpm', () => {
  it('converts CO 30 mg/m³ to about 24 ppm and 200 mg/m³ to about 160 ppm', () => {
    // docs/domain.md: ppm = mg/m³ × 22.4 / M (GB 6222 convention): 30 mg/m³ (24 ppm), 200 mg/m³ (160 ppm)
    expect(mgPerM3ToPpm(30, CO)).toBeCloseTo(24, 1);
    expect(mgPerM3ToPpm(200, CO)).toBeCloseTo(160, 0);
  });

  it('converts ppm back to mg/m³ with 22.4 L/mol', () => {
    // docs/domain.md: 22.4 L/mol, not 24.04 (20 °C)
    expect(ppmToMgPerM3(22.4, 34.08)).toBeCloseTo(34.08, 10);
    expect(ppmToMgPerM3(24, CO)).toBeCloseTo(30.01, 2);
  });

  it('round-trips', () => {
    // docs/domain.md: a point may be registered in ppm or mg/m³; values convert both ways
    expect(ppmToMgPerM3(mgPerM3ToPpm(12.5, 17.03), 17.03)).toBeCloseTo(12.5, 10);
  });
});

describe('isUnitAccepted', () => {
  it('takes the units the type lists and, for generic types, any unit', () => {
    // docs/domain.md: co in ppm or mg/m³; temperature/pressure/level/analog in "any" unit
    expect(isUnitAccepted(POINT_CATALOG.co, 'mg/m3')).toBe(true);
    expect(isUnitAccepted(POINT_CATALOG.co, '%LEL')).toBe(false);
    expect(isUnitAccepted(POINT_CATALOG.o2, 'ppm')).toBe(false);
    expect(isUnitAccepted(POINT_CATALOG.analog, 'bar')).toBe(true);
  });
});

describe('unitFactor', () => {
  it('is 1 for the same unit, the molar conversion for gases, and null otherwise', () => {
    // docs/domain.md: only gases with a molar mass convert between ppm and mg/m³
    expect(unitFactor(POINT_CATALOG.o2, '%VOL', '%VOL')).toBe(1);
    expect(unitFactor(POINT_CATALOG.co, 'ppm', 'mg/m3')).toBeCloseTo(28.01 / 22.4, 10);
    expect(unitFactor(POINT_CATALOG.h2s, 'mg/m3', 'ppm')).toBeCloseTo(22.4 / 34.08, 10);
    expect(unitFactor(POINT_CATALOG.combustible_gas, '%LEL', 'ppm')).toBeNull();
    expect(unitFactor(POINT_CATALOG.co, 'ppm', '%LEL')).toBeNull();
  });
});

describe('specForUnit', () => {
  it('expresses CO defaults in mg/m³', () => {
    // docs/domain.md: CO 24 ppm = 30 mg/m³, 48 ppm = 60 mg/m³, 160 ppm = 200 mg/m³ (three significant digits)
    const sut = specForUnit(POINT_CATALOG.co, 'mg/m3');
    expect(sut.unit).toBe('mg/m3');
    expect(sut.thresholds?.high).toEqual({ yellow: 30, orange: 60, red: 200 });
    expect(sut.physicalRange).toEqual({ min: 0, max: 6250 });
    expect(sut.sustained).toEqual(POINT_CATALOG.co.sustained);
  });

  it('expresses H₂S defaults in ppm', () => {
    // docs/domain.md: h2s ≥ 10 / 20 mg/m³, M = 34.08 → 6.57 / 13.1 ppm
    expect(specForUnit(POINT_CATALOG.h2s, 'ppm').thresholds?.high).toEqual({ yellow: 6.57, orange: 13.1 });
  });

  it('returns the spec itself for its default unit and keeps generic types unconverted', () => {
    // docs/domain.md: generic types take any unit and have no defaults to convert
    expect(specForUnit(POINT_CATALOG.co, 'ppm')).toBe(POINT_CATALOG.co);
    expect(specForUnit(POINT_CATALOG.temperature, 'K')).toMatchObject({ unit: 'K', thresholds: null });
  });

  it('refuses a unit the type does not take', () => {
    // docs/domain.md catalog: o2 is in %VOL only
    expect(() => specForUnit(POINT_CATALOG.o2, 'ppm')).toThrow(RangeError);
  });
});
