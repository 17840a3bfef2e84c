import { createUserSchema } from './users.schema';

const base = { username: 'duty.officer', password: 'a-long-password' };

describe('createUserSchema', () => {
  it('docs/contracts.md §4: a regulator prefix of 2, 4 or 6 digits, trailing 00 pairs dropped', () => {
    const parse = (regionCode: string) => createUserSchema.parse({ ...base, role: 'regulator', regionCode }).regionCode;
    expect(parse('320500')).toBe('3205');
    expect(parse('320000')).toBe('32');
    expect(parse('3205')).toBe('3205');
    expect(parse('32')).toBe('32');
    expect(parse('320505')).toBe('320505');
  });

  it('refuses prefixes that are not 2, 4 or 6 digits or not well formed', () => {
    for (const regionCode of ['3', '32050', '3205051', '000000', '320005', 'abcd']) {
      expect(createUserSchema.safeParse({ ...base, role: 'regulator', regionCode }).success).toBe(false);
    }
  });

  it('each role takes exactly its anchor', () => {
    expect(createUserSchema.safeParse({ ...base, role: 'regulator' }).success).toBe(false);
    expect(createUserSchema.safeParse({ ...base, role: 'enterprise' }).success).toBe(false);
    expect(createUserSchema.safeParse({ ...base, role: 'admin', regionCode: '32' }).success).toBe(false);
    expect(createUserSchema.safeParse({ ...base, role: 'regulator', regionCode: '32', enterpriseId: '6f1c2d9e-3c55-4a50-9a7b-3f1f2a4b5c6d' }).success).toBe(false);
    expect(createUserSchema.parse({ ...base, role: 'enterprise', enterpriseId: '6f1c2d9e-3c55-4a50-9a7b-3f1f2a4b5c6d' })).toMatchObject({
      role: 'enterprise',
      regionCode: null,
      enterpriseId: '6f1c2d9e-3c55-4a50-9a7b-3f1f2a4b5c6d',
    });
  });

  it('usernames and passwords: length and characters', () => {
    expect(createUserSchema.safeParse({ username: 'ab', password: 'a-long-password', role: 'admin' }).success).toBe(false);
    expect(createUserSchema.safeParse({ username: 'has space', password: 'a-long-password', role: 'admin' }).success).toBe(false);
    expect(createUserSchema.safeParse({ username: 'admin', password: 'short', role: 'admin' }).success).toBe(false);
  });

  it('parsing its own output gives the same user (the API validates, the repository parses again)', () => {
    const once = createUserSchema.parse({ ...base, role: 'regulator', regionCode: '320500', phone: '+8613800000000' });
    expect(createUserSchema.parse(once)).toEqual(once);
  });
});
