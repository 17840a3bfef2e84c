import { Global, Module } from '@nestjs/common';
import { DataSourceCloser, dataSourceProvider } from '@sw/platform';
import { DataSource } from 'typeorm';
import { INGEST_CONFIG, type IngestConfig } from '../config/ingest.config';

/** PostgreSQL for the registry (read-mostly) and gateway state; migrations run at start-up. */
@Global()
@Module({
  providers: [dataSourceProvider(INGEST_CONFIG, (config: IngestConfig) => ({ url: config.DATABASE_URL, poolSize: 4, applicationName: 'ingest' })), DataSourceCloser],
  exports: [DataSource],
})
export class DatabaseModule {}
