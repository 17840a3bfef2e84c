import { Global, Inject, Injectable, Module, type OnApplicationShutdown } from '@nestjs/common';
import { createDataSource } from '@sw/persistence';
import { DataSource } from 'typeorm';
import { UPLINK_CONFIG, type UplinkConfig } from '../config/uplink.config';
import { OutboxRepository } from '../outbox/outbox.repository';

@Injectable()
class DataSourceCloser implements OnApplicationShutdown {
  constructor(@Inject(DataSource) private readonly ds: DataSource) {}
  async onApplicationShutdown(): Promise<void> {
    if (this.ds.isInitialized) await this.ds.destroy();
  }
}

/** PostgreSQL: the sources (alarm and hazard events, the ledger) and the uplink's outbox. Migrations run at start-up. */
@Global()
@Module({
  providers: [
    {
      provide: DataSource,
      inject: [UPLINK_CONFIG],
      useFactory: async (config: UplinkConfig) => createDataSource({ url: config.DATABASE_URL, poolSize: 4 + Math.min(config.UPLINK_PARALLEL, 8), applicationName: 'uplink' }).initialize(),
    },
    { provide: OutboxRepository, inject: [DataSource], useFactory: (ds: DataSource) => new OutboxRepository(ds) },
    DataSourceCloser,
  ],
  exports: [DataSource, OutboxRepository],
})
export class DatabaseModule {}
