import { DataSource, type DataSourceOptions } from 'typeorm';
import { Enterprise } from './entities/enterprise.entity';
import { EnterpriseStatusChange } from './entities/enterprise-status-change.entity';
import { Gateway } from './entities/gateway.entity';
import { GatewayStateChange } from './entities/gateway-state-change.entity';
import { Point } from './entities/point.entity';
import { Registry1764300000000 } from './migrations/1764300000000-registry.migration';
import { Alarms1764300100000 } from './migrations/1764300100000-alarms.migration';
import { Ledger1764400000000 } from './migrations/1764400000000-ledger.migration';
import { Notifications1764300400000 } from './migrations/1764300400000-notifications.migration';

export const ENTITIES = [Enterprise, EnterpriseStatusChange, Gateway, GatewayStateChange, Point];
export const MIGRATIONS = [Registry1764300000000, Alarms1764300100000, Notifications1764300400000, Ledger1764400000000];

export interface DataSourceSettings {
  url: string;
  /** Pool size; ingest and the CLI need few connections. */
  poolSize?: number;
  applicationName?: string;
  logging?: boolean;
}

/** A DataSource with every entity and migration; migrations run on initialize, never `synchronize`. */
export function createDataSource(settings: DataSourceSettings): DataSource {
  const options: DataSourceOptions = {
    type: 'postgres',
    url: settings.url,
    entities: ENTITIES,
    migrations: MIGRATIONS,
    migrationsRun: true,
    migrationsTransactionMode: 'each',
    synchronize: false,
    logging: settings.logging ? ['error', 'warn', 'migration'] : ['error'],
    extra: { max: settings.poolSize ?? 5, application_name: settings.applicationName ?? 'safety-watch' },
  };
  return new DataSource(options);
}
