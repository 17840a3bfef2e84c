import type { DataSource } from 'typeorm';
import { RegistryError } from '../registry/registry.errors';
import { offsetOf, type PageRequest, type Paged } from '../registry/paging.types';
import { parseInput } from '../registry/parse-input';
import { hashSecret } from '../registry/secrets';
import { changeRoleSchema, type ChangeRoleInput, createUserSchema, type CreateUserInput, resetPasswordSchema, type ResetPasswordInput } from './users.schema';
import type { Principal, Role } from './user.types';

/** A user as the API shows it: never the password hash. */
export interface UserView {
  id: string;
  username: string;
  role: Role;
  regionCode: string | null;
  enterpriseId: string | null;
  displayName: string | null;
  phone: string | null;
  disabled: boolean;
  createdAt: string;
}

interface UserRow {
  id: string;
  username: string;
  role: Role;
  region_code: string | null;
  enterprise_id: string | null;
  display_name: string | null;
  phone: string | null;
  disabled: boolean;
  created_at: Date;
  password_hash?: string;
  token_version?: number;
}

/** What decides whether a token or socket of the user is still good (issue 18: revocation). */
export interface UserAuthState {
  principal: Principal;
  disabled: boolean;
  /** carried by every access token; a token with another version is dead */
  tokenVersion: number;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const COLUMNS = 'id, username, role, region_code, enterprise_id, display_name, phone, disabled, created_at';

function view(r: UserRow): UserView {
  return {
    id: r.id,
    username: r.username,
    role: r.role,
    regionCode: r.region_code,
    enterpriseId: r.enterprise_id,
    displayName: r.display_name,
    phone: r.phone,
    disabled: r.disabled,
    createdAt: r.created_at.toISOString(),
  };
}

/** Users and their argon2id password hashes (docs/architecture.md: Credentials). */
export class UsersRepository {
  constructor(private readonly ds: DataSource) {}

  /** Validates (docs/contracts.md §4 roles), hashes the password and stores the user. */
  async create(input: CreateUserInput): Promise<UserView> {
    const data = parseInput(createUserSchema, input, 'user');
    await this.assertEnterprise(data.enterpriseId);
    const hash = await hashSecret(data.password);
    const rows: UserRow[] = await this.ds.query(
      `INSERT INTO users (username, password_hash, role, region_code, enterprise_id, display_name, phone)
       VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (username) DO NOTHING RETURNING ${COLUMNS}`,
      [data.username, hash, data.role, data.regionCode, data.enterpriseId, data.displayName, data.phone],
    );
    const row = rows[0];
    if (!row) throw new RegistryError('conflict', `a user named ${data.username} already exists`);
    return view(row);
  }

  /** The user with its password hash and token version, for a login attempt; null when unknown. */
  async findForLogin(username: string): Promise<{ user: UserView; passwordHash: string; tokenVersion: number } | null> {
    const rows: UserRow[] = await this.ds.query(`SELECT ${COLUMNS}, password_hash, token_version FROM users WHERE username = $1`, [username]);
    const row = rows[0];
    return row ? { user: view(row), passwordHash: row.password_hash as string, tokenVersion: row.token_version as number } : null;
  }

  /** The user's current role, scope, state and token version; null when the user does not exist. */
  async authState(id: string): Promise<UserAuthState | null> {
    if (!UUID.test(id)) return null;
    const rows: UserRow[] = await this.ds.query(`SELECT ${COLUMNS}, token_version FROM users WHERE id = $1`, [id]);
    const row = rows[0];
    if (!row) return null;
    const principal = { id: row.id, username: row.username, role: row.role, regionCode: row.region_code, enterpriseId: row.enterprise_id };
    return { principal, disabled: row.disabled, tokenVersion: row.token_version as number };
  }

  async get(id: string): Promise<UserView> {
    const rows: UserRow[] = UUID.test(id) ? await this.ds.query(`SELECT ${COLUMNS} FROM users WHERE id = $1`, [id]) : [];
    const row = rows[0];
    if (!row) throw new RegistryError('not_found', `user ${id} not found`);
    return view(row);
  }

  /**
   * Disables or enables the user; either way the token version moves on, so every token issued
   * before dies. The last enabled admin cannot be disabled.
   */
  async setDisabled(id: string, disabled: boolean): Promise<UserView> {
    return this.revoking(id, `disabled = $2`, [disabled], disabled);
  }

  /** New role and scope (validated like a new user's); the user's tokens die. */
  async changeRole(id: string, input: ChangeRoleInput): Promise<UserView> {
    const data = parseInput(changeRoleSchema, input, 'role change');
    await this.assertEnterprise(data.enterpriseId);
    return this.revoking(id, `role = $2, region_code = $3, enterprise_id = $4`, [data.role, data.regionCode, data.enterpriseId], data.role !== 'admin');
  }

  /** New password (argon2id); the user's tokens die. */
  async resetPassword(id: string, input: ResetPasswordInput): Promise<UserView> {
    const data = parseInput(resetPasswordSchema, input, 'password');
    return this.revoking(id, `password_hash = $2`, [await hashSecret(data.password)], false);
  }

  /**
   * One UPDATE that applies `set`, bumps token_version (the users_changed trigger tells every api
   * process) and, when `removesAdmin`, refuses to leave the platform without an enabled admin.
   */
  private async revoking(id: string, set: string, params: unknown[], removesAdmin: boolean): Promise<UserView> {
    await this.get(id); // 404 before anything else
    const keepAdmin = removesAdmin ? `AND (role <> 'admin' OR EXISTS (SELECT 1 FROM users o WHERE o.role = 'admin' AND NOT o.disabled AND o.id <> $1))` : '';
    const [rows] = (await this.ds.query(
      `UPDATE users SET ${set}, token_version = token_version + 1, updated_at = now() WHERE id = $1 ${keepAdmin} RETURNING ${COLUMNS}`,
      [id, ...params],
    )) as [UserRow[], number];
    const row = rows[0];
    if (!row) throw new RegistryError('conflict', 'the platform needs at least one enabled admin');
    return view(row);
  }

  private async assertEnterprise(enterpriseId: string | null): Promise<void> {
    if (!enterpriseId) return;
    const found: unknown[] = await this.ds.query(`SELECT 1 FROM enterprises WHERE id = $1`, [enterpriseId]);
    if (found.length === 0) throw new RegistryError('invalid', `enterprise ${enterpriseId} does not exist`, [`enterpriseId: no such enterprise`]);
  }

  async list(page: PageRequest): Promise<Paged<UserView>> {
    const rows: (UserRow & { total: string })[] = await this.ds.query(
      `SELECT ${COLUMNS}, count(*) OVER () AS total FROM users ORDER BY username LIMIT $1 OFFSET $2`,
      [page.pageSize, offsetOf(page)],
    );
    const total = rows[0] ? Number(rows[0].total) : await this.count();
    return { items: rows.map(view), total, ...page };
  }

  async adminExists(): Promise<boolean> {
    const rows: unknown[] = await this.ds.query(`SELECT 1 FROM users WHERE role = 'admin' AND NOT disabled LIMIT 1`);
    return rows.length > 0;
  }

  private async count(): Promise<number> {
    const [row] = (await this.ds.query(`SELECT count(*) AS n FROM users`)) as [{ n: string }];
    return Number(row.n);
  }
}
