import { Injectable } from '@nestjs/common';
import { rateLimited, unauthenticated } from '@sw/errors';
import { hashSecret, UsersRepository, verifySecret } from '@sw/persistence';
import { MetricsService } from '../observability/metrics.service';
import { LoginThrottle } from './login-throttle.service';
import { TokenService } from './token.service';

const INVALID = 'invalid username or password';

/**
 * Password login → access token. The throttle charges the attempt before the password hash is
 * verified, so parallel attempts cannot outrun it (issue 18).
 */
@Injectable()
export class AuthService {
  // Verified when the username is unknown, so both failures take the same time.
  private readonly dummyHash = hashSecret('not-a-real-password-0123456789');

  constructor(
    private readonly users: UsersRepository,
    private readonly tokens: TokenService,
    private readonly throttle: LoginThrottle,
    private readonly metrics: MetricsService,
  ) {}

  async login(username: string, password: string, ip: string): Promise<{ accessToken: string; expiresIn: number }> {
    const waitMs = await this.throttle.take(username, ip);
    if (waitMs > 0) {
      this.metrics.loginFailures.inc({ reason: 'throttled' });
      const seconds = Math.ceil(waitMs / 1000);
      throw rateLimited(`too many failed logins; retry in ${seconds} s`, seconds);
    }
    const found = await this.users.findForLogin(username);
    this.metrics.loginVerifications.inc();
    const ok = found ? await verifySecret(found.passwordHash, password) : await verifySecret(await this.dummyHash, password);
    if (!found || !ok || found.user.disabled) {
      this.metrics.loginFailures.inc({ reason: 'credentials' });
      throw unauthenticated(INVALID);
    }
    await this.throttle.succeeded(username, ip);
    const { user } = found;
    return this.tokens.issue({ id: user.id, username: user.username, role: user.role, regionCode: user.regionCode, enterpriseId: user.enterpriseId }, found.tokenVersion);
  }
}
