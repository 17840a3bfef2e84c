import type { FactoryProvider } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { DataSourceCloser, dataSourceProvider, repositoryProviders } from './database-providers';

const fakeDataSource = (isInitialized: boolean) => {
  const destroy = jest.fn(() => Promise.resolve());
  return { ds: { isInitialized, destroy } as unknown as DataSource, destroy };
};

describe(DataSourceCloser.name, () => {
  it('closes the pool at application shutdown', async () => {
    const { ds, destroy } = fakeDataSource(true);
    await new DataSourceCloser(ds).onApplicationShutdown();
    expect(destroy).toHaveBeenCalledTimes(1);
  });

  it('leaves a DataSource that never opened alone', async () => {
    const { ds, destroy } = fakeDataSource(false);
    await new DataSourceCloser(ds).onApplicationShutdown();
    expect(destroy).not.toHaveBeenCalled();
  });
});

describe(repositoryProviders.name, () => {
  class ARepository {
    constructor(readonly ds: DataSource) {}
  }
  class BRepository {
    constructor(readonly ds: DataSource) {}
  }

  it('builds each repository on the one DataSource', () => {
    const { ds } = fakeDataSource(true);
    const sut = repositoryProviders([ARepository, BRepository]) as FactoryProvider[];
    expect(sut.map((p) => p.provide)).toEqual([ARepository, BRepository]);
    const built = sut.map((p) => p.useFactory(ds) as { ds: DataSource });
    expect(built[0]).toBeInstanceOf(ARepository);
    expect(built[1]).toBeInstanceOf(BRepository);
    expect(built.every((r) => r.ds === ds)).toBe(true);
  });
});

describe(dataSourceProvider.name, () => {
  it('reads its settings from the app config under the given token', () => {
    const TOKEN = Symbol('CONFIG');
    const sut = dataSourceProvider(TOKEN, (c: { DATABASE_URL: string }) => ({ url: c.DATABASE_URL })) as FactoryProvider;
    expect(sut.inject).toEqual([TOKEN]);
  });
});
