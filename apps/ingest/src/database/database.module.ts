import { Global, Inject, Injectable, Module, type OnApplicationShutdown } from '@nestjs/common';
import { createDataSource } from '@sw/persistence';
import { DataSource } from 'typeorm';
import { INGEST_CONFIG, type IngestConfig } from '../config/ingest.config';

@Injectable()
class DataSourceCloser implements OnApplicationShutdown {
  constructor(@Inject(DataSource) private readonly ds: DataSource) {}
  async onApplicationShutdown(): Promise<void> {
    if (this.ds.isInitialized) await this.ds.destroy();
  }
}

/** PostgreSQL for the registry (read-mostly) and gateway state; migrations run at start-up. */
@Global()
@Module({
  providers: [
    {
      provide: DataSource,
      inject: [INGEST_CONFIG],
      useFactory: async (config: IngestConfig) =>
        createDataSource({ url: config.DATABASE_URL, poolSize: 4, applicationName: 'ingest' }).initialize(),
    },
    DataSourceCloser,
  ],
  exports: [DataSource],
})
export class DatabaseModule {}
