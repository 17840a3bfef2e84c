import { Inject, Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { ROLES, type Principal, type Role } from '@sw/persistence';
import { API_CONFIG, type ApiConfig } from '../config/api.config';

/** The claims of an access token: the principal and the user's token version when issued. */
interface AccessClaims {
  sub: string;
  /** users.token_version at issue; bumped by disable, role change and password reset */
  ver: number;
  username: string;
  role: Role;
  regionCode: string | null;
  enterpriseId: string | null;
  exp?: number;
}

export interface VerifiedToken {
  principal: Principal;
  /** epoch ms when the token expires */
  expiresAt: number;
  tokenVersion: number;
}

/**
 * HS256 access tokens (docs/contracts.md §4 `POST /auth/token`). A valid signature is not enough:
 * `UserStateService` also checks that the user exists, is enabled and has the token's version.
 */
@Injectable()
export class TokenService {
  constructor(
    private readonly jwt: JwtService,
    @Inject(API_CONFIG) private readonly config: ApiConfig,
  ) {}

  issue(p: Principal, tokenVersion: number): { accessToken: string; expiresIn: number } {
    const claims: AccessClaims = { sub: p.id, ver: tokenVersion, username: p.username, role: p.role, regionCode: p.regionCode, enterpriseId: p.enterpriseId };
    const accessToken = this.jwt.sign(claims, { algorithm: 'HS256', expiresIn: this.config.JWT_TTL_S, secret: this.config.JWT_SECRET });
    return { accessToken, expiresIn: this.config.JWT_TTL_S };
  }

  /** The principal of a valid, unexpired token, or null. */
  verify(token: string): VerifiedToken | null {
    try {
      const c = this.jwt.verify<AccessClaims>(token, { algorithms: ['HS256'], secret: this.config.JWT_SECRET });
      if (typeof c.sub !== 'string' || !Number.isInteger(c.ver) || !ROLES.includes(c.role) || typeof c.exp !== 'number') return null;
      return {
        principal: { id: c.sub, username: c.username, role: c.role, regionCode: c.regionCode ?? null, enterpriseId: c.enterpriseId ?? null },
        expiresAt: c.exp * 1000,
        tokenVersion: c.ver,
      };
    } catch {
      return null;
    }
  }
}
