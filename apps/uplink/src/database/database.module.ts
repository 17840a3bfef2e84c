import { Global, Module } from '@nestjs/common';
import { DataSourceCloser, dataSourceProvider, repositoryProviders } from '@sw/platform';
import { DataSource } from 'typeorm';
import { UPLINK_CONFIG, type UplinkConfig } from '../config/uplink.config';
import { OutboxRepository } from '../outbox/outbox.repository';

/** PostgreSQL: the sources (alarm and hazard events, the ledger) and the uplink's outbox. Migrations run at start-up. */
@Global()
@Module({
  providers: [
    dataSourceProvider(UPLINK_CONFIG, (config: UplinkConfig) => ({ url: config.DATABASE_URL, poolSize: 4 + Math.min(config.UPLINK_PARALLEL, 8), applicationName: 'uplink' })),
    ...repositoryProviders([OutboxRepository]),
    DataSourceCloser,
  ],
  exports: [DataSource, OutboxRepository],
})
export class DatabaseModule {}
