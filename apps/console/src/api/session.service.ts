// The signed-in user: the token from POST /api/v1/auth/token, kept in sessionStorage (one tab, gone
// when the tab closes), and the claims the API put in it (role and scope).
import type { Role } from './api.types';

const KEY = 'sw.console.session';

export interface Session {
  token: string;
  userId: string;
  username: string;
  role: Role;
  regionCode: string | null;
  enterpriseId: string | null;
  /** epoch ms */
  expiresAt: number;
}

interface Claims {
  sub: string;
  username: string;
  role: Role;
  regionCode?: string | null;
  enterpriseId?: string | null;
  exp: number;
}

/** The claims of a JWT, read without checking the signature (the API checks it on every call). */
export function sessionFromToken(token: string): Session | null {
  const payload = token.split('.')[1];
  if (!payload) return null;
  try {
    const json = atob(payload.replace(/-/g, '+').replace(/_/g, '/'));
    const bytes = Uint8Array.from(json, (c) => c.charCodeAt(0));
    const claims = JSON.parse(new TextDecoder().decode(bytes)) as Claims;
    return {
      token,
      userId: claims.sub,
      username: claims.username,
      role: claims.role,
      regionCode: claims.regionCode ?? null,
      enterpriseId: claims.enterpriseId ?? null,
      expiresAt: claims.exp * 1000,
    };
  } catch {
    return null;
  }
}

export function loadSession(storage: Storage, now = Date.now()): Session | null {
  const token = storage.getItem(KEY);
  const session = token ? sessionFromToken(token) : null;
  if (!session || session.expiresAt <= now) {
    storage.removeItem(KEY);
    return null;
  }
  return session;
}

export function saveSession(storage: Storage, token: string): Session | null {
  const session = sessionFromToken(token);
  if (session) storage.setItem(KEY, token);
  return session;
}

export function clearSession(storage: Storage): void {
  storage.removeItem(KEY);
}
