import { Global, Module } from '@nestjs/common';
import { EvaluationRegistryRepository, RuleStateRepository, RulesRepository } from '@sw/persistence';
import { DataSourceCloser, dataSourceProvider, repositoryProviders } from '@sw/platform';
import { DataSource } from 'typeorm';
import { ALERTING_CONFIG, type AlertingConfig } from '../config/alerting.config';

const REPOSITORIES = [RuleStateRepository, EvaluationRegistryRepository, RulesRepository];

/**
 * PostgreSQL: the registry (read-mostly), rule states, alarms and their events. Migrations run at
 * start-up. The pool allows several alarm transitions in flight (they serialize on the sequence row
 * only from their counter update to their commit).
 */
@Global()
@Module({
  providers: [
    dataSourceProvider(ALERTING_CONFIG, (config: AlertingConfig) => ({ url: config.DATABASE_URL, poolSize: 8, applicationName: 'alerting' })),
    ...repositoryProviders(REPOSITORIES),
    DataSourceCloser,
  ],
  // AlarmStore is built in AppModule, with the notification outbox as its in-transaction hook
  exports: [DataSource, ...REPOSITORIES],
})
export class DatabaseModule {}
