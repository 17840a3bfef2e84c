import { Global, Module, type Provider } from '@nestjs/common';
import {
  AlarmStore,
  AuditRepository,
  EnterprisesRepository,
  PersonnelRepository,
  GatewaysRepository,
  HazardNoticesRepository,
  HazardStore,
  LoginAttemptsRepository,
  PointsRepository,
  RegistryService,
  RulesRepository,
  UsersRepository,
} from '@sw/persistence';
import { DataSourceCloser, dataSourceProvider, repositoryProviders } from '@sw/platform';
import { DataSource } from 'typeorm';
import { API_CONFIG, type ApiConfig } from '../config/api.config';

// The persistence lib's stores and repositories, each built on the one DataSource.
const REPOSITORIES = [AlarmStore, AuditRepository, EnterprisesRepository, GatewaysRepository, LoginAttemptsRepository, PersonnelRepository, PointsRepository, RegistryService, RulesRepository, UsersRepository];
// a hazard's confirmation notices (outbox rows) commit with its `confirmed` event
const hazardStoreProvider: Provider = { provide: HazardStore, inject: [DataSource], useFactory: (ds: DataSource) => new HazardStore(ds, new HazardNoticesRepository(ds).onEvent) };

/** PostgreSQL: the ledger, users, rules, alarms and the audit log; migrations run at start-up. */
@Global()
@Module({
  providers: [
    dataSourceProvider(API_CONFIG, (config: ApiConfig) => ({ url: config.DATABASE_URL, poolSize: config.DATABASE_POOL_SIZE, applicationName: 'api' })),
    DataSourceCloser,
    ...repositoryProviders(REPOSITORIES),
    hazardStoreProvider,
  ],
  exports: [DataSource, ...REPOSITORIES, HazardStore],
})
export class DatabaseModule {}
