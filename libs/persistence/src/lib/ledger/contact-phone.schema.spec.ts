import { contactPhoneProblem, parseCountryCodes } from './contact-phone.schema';

// issue 18 item 8: SMS pumping through contacts with any E.164 number
describe(contactPhoneProblem.name, () => {
  it('accepts mainland China mobile numbers, with or without +86, and nothing else by default', () => {
    for (const ok of ['13800000000', '19912345678', '+8613800000000']) expect(contactPhoneProblem(ok, [])).toBeNull();
    for (const bad of ['12012345678', '+861012345678', '1380000000', '138000000000', '+85291234567', '+12025550123', '+8613800000000 ']) {
      expect(contactPhoneProblem(bad, [])).toMatch(/^must be a mainland China mobile number/);
    }
  });

  it('accepts E.164 numbers of configured calling codes only, and says which ones', () => {
    expect(contactPhoneProblem('+85291234567', ['852', '853'])).toBeNull();
    expect(contactPhoneProblem('+85366123456', ['852', '853'])).toBeNull();
    expect(contactPhoneProblem('+12025550123', ['852', '853'])).toBe('must be a mainland China mobile number (11 digits starting 13–19, optional +86) or an E.164 number with country code +852, +853');
    expect(contactPhoneProblem('+8529123', ['852'])).toBeNull(); // E.164 allows short national numbers
    expect(contactPhoneProblem('+8521234567890123', ['852'])).not.toBeNull(); // over 15 digits
    expect(contactPhoneProblem('+861012345678', ['86'])).not.toBeNull(); // +86 stays mobile-only
  });
});

describe(parseCountryCodes.name, () => {
  it('reads a comma-separated list, with or without +, and refuses anything but 1–3 digits', () => {
    expect(parseCountryCodes(undefined)).toEqual([]);
    expect(parseCountryCodes('')).toEqual([]);
    expect(parseCountryCodes(' 852, +853 ,1')).toEqual(['852', '853', '1']);
    expect(() => parseCountryCodes('8520')).toThrow('8520');
    expect(() => parseCountryCodes('0')).toThrow();
  });
});
