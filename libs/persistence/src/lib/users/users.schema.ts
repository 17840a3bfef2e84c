import { z } from 'zod';
import { normalizeRegionPrefix } from '@sw/sensors';
import { ROLES } from './user.types';

/** Shortest password the platform accepts for users (the bootstrap ADMIN_PASSWORD needs 16: libs/secrets). */
export const PASSWORD_MIN_LENGTH = 10;

export const USERNAME = /^[A-Za-z0-9][A-Za-z0-9._@-]{2,63}$/;

export const passwordSchema = z.string().min(PASSWORD_MIN_LENGTH, `password must have at least ${PASSWORD_MIN_LENGTH} characters`).max(256);

type ScopeInput = { role: (typeof ROLES)[number]; regionCode?: string | null | undefined; enterpriseId?: string | null | undefined };

/** docs/contracts.md §4: a regulator's region prefix, an enterprise user's enterprise, an admin neither. */
function scopeFor(u: ScopeInput, ctx: z.RefinementCtx): { regionCode: string | null; enterpriseId: string | null } {
  let regionCode: string | null = null;
  if (u.role === 'regulator') {
    regionCode = u.regionCode ? normalizeRegionPrefix(u.regionCode) : null;
    if (!regionCode) ctx.addIssue({ code: 'custom', path: ['regionCode'], message: 'a regulator needs regionCode: a region prefix of 2, 4 or 6 digits' });
  } else if (u.regionCode) {
    ctx.addIssue({ code: 'custom', path: ['regionCode'], message: 'only a regulator has a regionCode' });
  }
  if (u.role === 'enterprise' && !u.enterpriseId) ctx.addIssue({ code: 'custom', path: ['enterpriseId'], message: 'an enterprise user needs enterpriseId' });
  if (u.role !== 'enterprise' && u.enterpriseId) ctx.addIssue({ code: 'custom', path: ['enterpriseId'], message: 'only an enterprise user has an enterpriseId' });
  return { regionCode, enterpriseId: u.role === 'enterprise' ? (u.enterpriseId ?? null) : null };
}

/**
 * docs/contracts.md §4 `POST /users`: a regulator takes a region prefix of 2, 4 or 6 digits (stored in
 * canonical form, `320500` → `3205`), an enterprise user an enterprise; an admin neither.
 */
export const createUserSchema = z
  .object({
    username: z.string().regex(USERNAME, 'username must be 3 to 64 characters: letters, digits, . _ @ -'),
    password: passwordSchema,
    role: z.enum(ROLES),
    regionCode: z.string().nullish(),
    enterpriseId: z.guid().nullish(),
    displayName: z.string().trim().min(1).max(100).nullish(),
    phone: z
      .string()
      .regex(/^\+?[0-9]{6,20}$/, 'phone must be 6 to 20 digits, optionally with a leading +')
      .nullish(),
  })
  .transform((u, ctx) => ({
    username: u.username,
    password: u.password,
    role: u.role,
    ...scopeFor(u, ctx),
    displayName: u.displayName ?? null,
    phone: u.phone ?? null,
  }));
export type CreateUserInput = z.input<typeof createUserSchema>;

/** `PUT /users/{id}/role`: the new role and its scope, validated like a new user's. */
export const changeRoleSchema = z
  .object({ role: z.enum(ROLES), regionCode: z.string().nullish(), enterpriseId: z.guid().nullish() })
  .strict()
  .transform((u, ctx) => ({ role: u.role, ...scopeFor(u, ctx) }));
export type ChangeRoleInput = z.input<typeof changeRoleSchema>;

/** `POST /users/{id}/password`: the new password (the user's sessions end). */
export const resetPasswordSchema = z.object({ password: passwordSchema }).strict();
export type ResetPasswordInput = z.input<typeof resetPasswordSchema>;
