import type { DataSource } from 'typeorm';
import { RegistryError } from '../registry/registry.errors';
import { offsetOf, type PageRequest, type Paged } from '../registry/paging.types';
import { parseInput } from '../registry/parse-input';
import { hashSecret } from '../registry/secrets';
import { createUserSchema, type CreateUserInput } from './users.schema';
import type { Role } from './user.types';

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
}

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

/** Users and their argon2id password hashes (ARCHITECTURE.md: Credentials). */
export class UsersRepository {
  constructor(private readonly ds: DataSource) {}

  /** Validates (CONTRACTS.md §4 roles), hashes the password and stores the user. */
  async create(input: CreateUserInput): Promise<UserView> {
    const data = parseInput(createUserSchema, input, 'user');
    if (data.enterpriseId) {
      const found: unknown[] = await this.ds.query(`SELECT 1 FROM enterprises WHERE id = $1`, [data.enterpriseId]);
      if (found.length === 0) throw new RegistryError('invalid', `enterprise ${data.enterpriseId} does not exist`, [`enterpriseId: no such enterprise`]);
    }
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

  /** The user with its password hash, for a login attempt; null when unknown. */
  async findForLogin(username: string): Promise<{ user: UserView; passwordHash: string } | null> {
    const rows: UserRow[] = await this.ds.query(`SELECT ${COLUMNS}, password_hash FROM users WHERE username = $1`, [username]);
    const row = rows[0];
    return row ? { user: view(row), passwordHash: row.password_hash as string } : null;
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
