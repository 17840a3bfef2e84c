import { loadSession, saveSession, sessionFromToken } from './session.service';

const b64url = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
const token = (claims: object) => `${b64url({ alg: 'HS256' })}.${b64url(claims)}.sig`;

class MemoryStorage implements Pick<Storage, 'getItem' | 'setItem' | 'removeItem'> {
  private readonly m = new Map<string, string>();
  getItem(k: string) {
    return this.m.get(k) ?? null;
  }
  setItem(k: string, v: string) {
    this.m.set(k, v);
  }
  removeItem(k: string) {
    this.m.delete(k);
  }
}

describe('session', () => {
  const claims = { sub: 'u1', username: '值班员', role: 'regulator', regionCode: '3205', enterpriseId: null, exp: 2_000_000_000 };

  it('reads role and scope from the token, UTF-8 names included', () => {
    expect(sessionFromToken(token(claims))).toMatchObject({ userId: 'u1', username: '值班员', role: 'regulator', regionCode: '3205', expiresAt: 2_000_000_000_000 });
    expect(sessionFromToken('not-a-jwt')).toBeNull();
  });

  it('keeps the token in the given storage and forgets it once expired', () => {
    const storage = new MemoryStorage() as unknown as Storage;
    saveSession(storage, token(claims));
    expect(loadSession(storage, 1_000)?.username).toBe('值班员');
    expect(loadSession(storage, 2_000_000_000_001)).toBeNull();
    expect(loadSession(storage, 1_000)).toBeNull();
  });
});
