import { Global, Inject, Injectable, Module, type OnApplicationShutdown, type Provider } from '@nestjs/common';
import {
  AlarmStore,
  AuditRepository,
  createDataSource,
  EnterprisesRepository,
  PersonnelRepository,
  GatewaysRepository,
  HazardStore,
  LoginAttemptsRepository,
  PointsRepository,
  RegistryService,
  RulesRepository,
  UsersRepository,
} from '@sw/persistence';
import { DataSource } from 'typeorm';
import { API_CONFIG, type ApiConfig } from '../config/api.config';

@Injectable()
class DataSourceCloser implements OnApplicationShutdown {
  constructor(@Inject(DataSource) private readonly ds: DataSource) {}
  async onApplicationShutdown(): Promise<void> {
    if (this.ds.isInitialized) await this.ds.destroy();
  }
}

// The persistence lib's stores and repositories, each built on the one DataSource.
const REPOSITORIES = [AlarmStore, AuditRepository, EnterprisesRepository, GatewaysRepository, HazardStore, LoginAttemptsRepository, PersonnelRepository, PointsRepository, RegistryService, RulesRepository, UsersRepository];
const repositoryProviders: Provider[] = REPOSITORIES.map((type) => ({ provide: type, inject: [DataSource], useFactory: (ds: DataSource) => new type(ds) }));

/** PostgreSQL: the ledger, users, rules, alarms and the audit log; migrations run at start-up. */
@Global()
@Module({
  providers: [
    {
      provide: DataSource,
      inject: [API_CONFIG],
      useFactory: (config: ApiConfig) =>
        createDataSource({ url: config.DATABASE_URL, poolSize: config.DATABASE_POOL_SIZE, applicationName: 'api' }).initialize(),
    },
    DataSourceCloser,
    ...repositoryProviders,
  ],
  exports: [DataSource, ...REPOSITORIES],
})
export class DatabaseModule {}
