import { Client } from 'pg';
import { DataSource, type DataSourceOptions } from 'typeorm';
import { Enterprise } from './entities/enterprise.entity';
import { EnterpriseStatusChange } from './entities/enterprise-status-change.entity';
import { Gateway } from './entities/gateway.entity';
import { GatewayStateChange } from './entities/gateway-state-change.entity';
import { Point } from './entities/point.entity';
import { Registry1764300000000 } from './migrations/1764300000000-registry.migration';
import { Alarms1764300100000 } from './migrations/1764300100000-alarms.migration';
import { Notifications1764300400000 } from './migrations/1764300400000-notifications.migration';
import { Ledger1764400000000 } from './migrations/1764400000000-ledger.migration';
import { UserRevocation1765100100000 } from './migrations/1765100100000-user-revocation.migration';
import { AuditRetention1765100200000 } from './migrations/1765100200000-audit-retention.migration';
import { AlarmRegion1765100300000 } from './migrations/1765100300000-alarm-region.migration';
import { LedgerFields1765200000000 } from './migrations/1765200000000-ledger-fields.migration';
import { CoTiers1765300000000 } from './migrations/1765300000000-co-tiers.migration';
import { MaintenanceRequestsReportSnapshots1765300100000 } from './migrations/1765300100000-maintenance-requests-report-snapshots.migration';
import { Hazards1765400000000 } from './migrations/1765400000000-hazards.migration';
import { PublicReports1765400100000 } from './migrations/1765400100000-public-reports.migration';
import { HazardNotifications1765400200000 } from './migrations/1765400200000-hazard-notifications.migration';
import { IndustryDepartments1765510000000 } from './migrations/1765510000000-industry-departments.migration';
import { RiskGrades1765600000000 } from './migrations/1765600000000-risk-grades.migration';
import { Inspections1765610000000 } from './migrations/1765610000000-inspections.migration';
import { RiskGradeThresholds1765620000000 } from './migrations/1765620000000-risk-grade-thresholds.migration';
import { Upward1765700000000 } from './migrations/1765700000000-upward.migration';
import { UplinkOutbox1765710000000 } from './migrations/1765710000000-uplink-outbox.migration';

export const ENTITIES = [Enterprise, EnterpriseStatusChange, Gateway, GatewayStateChange, Point];
/** In timestamp order, one a line. */
export const MIGRATIONS = [
  Registry1764300000000,
  Alarms1764300100000,
  Notifications1764300400000,
  Ledger1764400000000,
  UserRevocation1765100100000,
  AuditRetention1765100200000,
  AlarmRegion1765100300000,
  LedgerFields1765200000000,
  CoTiers1765300000000,
  MaintenanceRequestsReportSnapshots1765300100000,
  Hazards1765400000000,
  PublicReports1765400100000,
  HazardNotifications1765400200000,
  IndustryDepartments1765510000000,
  RiskGrades1765600000000,
  Inspections1765610000000,
  RiskGradeThresholds1765620000000,
  Upward1765700000000,
  UplinkOutbox1765710000000,
];

export interface DataSourceSettings {
  url: string;
  /** Pool size; ingest and the CLI need few connections. */
  poolSize?: number;
  applicationName?: string;
  logging?: boolean;
}

/** Advisory-lock key taken while migrating (any constant unique to this platform). */
const MIGRATION_LOCK = 7_262_001;

/**
 * Runs pending migrations on initialize under a PostgreSQL advisory lock: ingest, alerting and api
 * start together on a fresh database, and TypeORM alone would let all three create the same tables.
 */
class MigratingDataSource extends DataSource {
  constructor(
    options: DataSourceOptions,
    private readonly url: string,
  ) {
    super(options);
  }

  override async initialize(): Promise<this> {
    await super.initialize();
    // The lock lives on its own connection, so a pool of one (the CLI) can still run the migrations.
    const lock = new Client({ connectionString: this.url, application_name: 'migrations-lock' });
    try {
      await lock.connect();
      await lock.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
      await this.runMigrations({ transaction: 'each' });
    } catch (err) {
      await this.destroy().catch(() => undefined);
      throw err;
    } finally {
      await lock.end().catch(() => undefined); // ending the session releases the lock
    }
    return this;
  }
}

/** A DataSource with every entity and migration; migrations run on initialize, never `synchronize`. */
export function createDataSource(settings: DataSourceSettings): DataSource {
  const options: DataSourceOptions = {
    type: 'postgres',
    url: settings.url,
    entities: ENTITIES,
    migrations: MIGRATIONS,
    migrationsRun: false, // MigratingDataSource runs them, one process at a time
    migrationsTransactionMode: 'each',
    synchronize: false,
    logging: settings.logging ? ['error', 'warn', 'migration'] : ['error'],
    extra: { max: settings.poolSize ?? 5, application_name: settings.applicationName ?? 'safety-watch' },
  };
  return new MigratingDataSource(options, settings.url);
}
