import { Global, Inject, Injectable, Module, type OnApplicationShutdown } from '@nestjs/common';
import { EvaluationRegistryRepository, RuleStateRepository, RulesRepository, createDataSource } from '@sw/persistence';
import { DataSource } from 'typeorm';
import { ALERTING_CONFIG, type AlertingConfig } from '../config/alerting.config';

@Injectable()
class DataSourceCloser implements OnApplicationShutdown {
  constructor(@Inject(DataSource) private readonly ds: DataSource) {}
  async onApplicationShutdown(): Promise<void> {
    if (this.ds.isInitialized) await this.ds.destroy();
  }
}

const repository = <T>(cls: new (ds: DataSource) => T) => ({ provide: cls, inject: [DataSource], useFactory: (ds: DataSource) => new cls(ds) });

/**
 * PostgreSQL: the registry (read-mostly), rule states, alarms and their events. Migrations run at
 * start-up. The pool allows several alarm transitions in flight (they serialize on the sequence row
 * only from their counter update to their commit).
 */
@Global()
@Module({
  providers: [
    {
      provide: DataSource,
      inject: [ALERTING_CONFIG],
      useFactory: async (config: AlertingConfig) =>
        createDataSource({ url: config.DATABASE_URL, poolSize: 8, applicationName: 'alerting' }).initialize(),
    },
    repository(RuleStateRepository),
    repository(EvaluationRegistryRepository),
    repository(RulesRepository),
    DataSourceCloser,
  ],
  // AlarmStore is built in AppModule, with the notification outbox as its in-transaction hook
  exports: [DataSource, RuleStateRepository, EvaluationRegistryRepository, RulesRepository],
})
export class DatabaseModule {}
