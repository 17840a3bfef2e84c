import { Inject, Injectable, type OnApplicationShutdown, type Provider } from '@nestjs/common';
import { createDataSource, type DataSourceSettings } from '@sw/persistence';
import { DataSource } from 'typeorm';

/**
 * Closes the pool in the last shutdown phase (`onApplicationShutdown`), after every service has
 * flushed in `onModuleDestroy`/`beforeApplicationShutdown` and the HTTP server has stopped.
 */
@Injectable()
export class DataSourceCloser implements OnApplicationShutdown {
  constructor(@Inject(DataSource) private readonly ds: DataSource) {}

  async onApplicationShutdown(): Promise<void> {
    if (this.ds.isInitialized) await this.ds.destroy();
  }
}

/** The app's one DataSource, built from its config and initialised (migrations run) at start-up. */
export function dataSourceProvider<C>(configToken: symbol, settings: (config: C) => DataSourceSettings): Provider {
  return { provide: DataSource, inject: [configToken], useFactory: (config: C) => createDataSource(settings(config)).initialize() };
}

/** Repositories and stores of `@sw/persistence`, each built on the one DataSource. */
export function repositoryProviders(types: readonly (new (ds: DataSource) => unknown)[]): Provider[] {
  return types.map((type) => ({ provide: type, inject: [DataSource], useFactory: (ds: DataSource) => new type(ds) }));
}
