import { Inject, Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { RegistryError, UsersRepository } from '@sw/persistence';
import { API_CONFIG, type ApiConfig } from '../config/api.config';

/**
 * docs/contracts.md §4: with no admin in the database, the first one comes from ADMIN_USERNAME /
 * ADMIN_PASSWORD, and the API refuses to start without them (there is no default password).
 */
@Injectable()
export class AdminBootstrapService implements OnModuleInit {
  private readonly logger = new Logger(AdminBootstrapService.name);

  constructor(
    private readonly users: UsersRepository,
    @Inject(API_CONFIG) private readonly config: ApiConfig,
  ) {}

  async onModuleInit(): Promise<void> {
    if (await this.users.adminExists()) return;
    const { ADMIN_USERNAME: username, ADMIN_PASSWORD: password } = this.config;
    if (!username || !password) {
      throw new Error('the database has no admin: set ADMIN_USERNAME and ADMIN_PASSWORD to create the first one');
    }
    try {
      await this.users.create({ username, password, role: 'admin' });
      this.logger.log(`created the first admin, ${username}`);
    } catch (err) {
      // another api instance starting at the same moment created it first
      if (!(err instanceof RegistryError && err.kind === 'conflict' && (await this.users.adminExists()))) throw err;
    }
  }
}
