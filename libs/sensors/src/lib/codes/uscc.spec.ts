import { isValidUscc, usccCheckChar } from './uscc';

const VALID = '91110108551385082Q'; // docs/domain.md example

const factory = {
  // The first 17 characters with one replaced, and the check character recomputed where possible.
  code: (index: number, char: string): string => {
    const first17 = VALID.slice(0, index) + char + VALID.slice(index + 1, 17);
    return first17 + (usccCheckChar(first17) ?? 'Q');
  },
};

describe('isValidUscc', () => {
  it('accepts the docs/domain.md example', () => {
    // docs/domain.md §Codes: 91110108551385082Q is valid
    expect(isValidUscc(VALID)).toBe(true);
  });

  it('accepts other codes with a correct check character, including a letter in the body', () => {
    // docs/domain.md §Codes: 18 characters from 0-9 and A–Y without I, O, S, V, Z
    expect(isValidUscc(factory.code(10, 'A'))).toBe(true);
    expect(isValidUscc(`91320505MA1XY0000${usccCheckChar('91320505MA1XY0000') ?? ''}`)).toBe(true);
  });

  it.each(['91110108551385082A', '91110108551385082P', '91110108551385082R', '91110108551385082q'])('rejects the wrong check character in %s', (code) => {
    // GB 32100-2015: check = alphabet[(31 − Σ value·weight mod 31) mod 31]
    expect(isValidUscc(code)).toBe(false);
  });

  it('rejects a changed digit', () => {
    // GB 32100-2015: the check character covers all 17 characters
    expect(isValidUscc('91110108551385083Q')).toBe(false);
  });

  it.each(['I', 'O', 'Z', 'S', 'V', 'a', '-', ' '])('rejects the character %p', (char) => {
    // docs/domain.md §Codes: the alphabet is 0123456789ABCDEFGHJKLMNPQRTUWXY (no I, O, Z, S, V)
    expect(isValidUscc(factory.code(12, char))).toBe(false);
    expect(isValidUscc(`${VALID.slice(0, 17)}${char}`)).toBe(false);
  });

  it.each(['', '9111010855138508', '91110108551385082', '91110108551385082QQ'])('rejects the length of %p', (code) => {
    // docs/domain.md §Codes: 18 characters
    expect(isValidUscc(code)).toBe(false);
  });
});

describe('usccCheckChar', () => {
  it('computes Q for the docs/domain.md example', () => {
    // docs/domain.md §Codes: weights 1,3,9,27,19,26,16,17,20,29,25,13,8,24,10,30,28
    expect(usccCheckChar('91110108551385082')).toBe('Q');
  });

  it('is null for anything but 17 characters of the alphabet', () => {
    // GB 32100-2015: the check is defined only over the code's alphabet
    expect(usccCheckChar('9111010855138508')).toBeNull();
    expect(usccCheckChar('9111010855138508I')).toBeNull();
    expect(usccCheckChar('91110108551385082Q')).toBeNull();
  });
});
