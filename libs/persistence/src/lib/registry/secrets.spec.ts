import { generateSecret, hashGatewaySecret, hashSecret, verifySecret } from './secrets';

describe('secret hashes', () => {
  it('hashes a gateway secret with argon2id at 4 MiB, t=1, and verifies only that secret', async () => {
    const secret = generateSecret();
    const hash = await hashGatewaySecret(secret);
    expect(hash).toMatch(/^\$argon2id\$v=19\$m=4096,p=1,t=1\$/);
    await expect(verifySecret(hash, secret)).resolves.toBe(true);
    await expect(verifySecret(hash, `${secret}x`)).resolves.toBe(false);
  });

  it('keeps the OWASP parameters for people\'s passwords, and older gateway hashes made with them still verify', async () => {
    const hash = await hashSecret('a person chose this password');
    expect(hash).toMatch(/^\$argon2id\$v=19\$m=19456,p=1,t=2\$/);
    await expect(verifySecret(hash, 'a person chose this password')).resolves.toBe(true);
  });

  it('never authenticates against a malformed hash', async () => {
    await expect(verifySecret('not-a-hash', 'anything')).resolves.toBe(false);
  });
});
