// For integration specs: alerting in-process on a suite's services, the DataSource and the internal
// bus beside it, each closed by the suite's `services.stop()`. App code: it names what it needs of
// @sw/testing's TestServices instead of importing the test-support lib.
import { randomBytes } from 'node:crypto';
import type { INestApplication } from '@nestjs/common';
import { createDataSource } from '@sw/persistence';
import type { DataSource } from 'typeorm';
import type { AlertingOverrides } from '../app.module';
import { alertingConfigSchema } from '../config/alerting.config';
import { bootstrapAlerting } from '../main';
import { InternalBus } from './internal-bus.factory';

export interface AlertingServices {
  readonly db: { url: string };
  readonly mosquitto: { url: string };
  defer(stop: () => unknown): void;
}

/** A DataSource on the suite's database (the spec's own, beside alerting's). */
export async function openDataSource(services: Pick<AlertingServices, 'db' | 'defer'>, poolSize?: number): Promise<DataSource> {
  const ds = await createDataSource({ url: services.db.url, poolSize }).initialize();
  services.defer(() => ds.destroy());
  return ds;
}

/** Alerting in-process on the suite's database and broker, HTTP on a free port; `env` adds to and overrides the defaults. */
export async function startAlertingHarness(services: AlertingServices, env: Record<string, string> = {}, overrides: AlertingOverrides = {}): Promise<INestApplication> {
  const config = alertingConfigSchema.parse({
    DATABASE_URL: services.db.url,
    BROKER_URL: services.mosquitto.url,
    SERVICE_MQTT_PASSWORD: randomBytes(32).toString('base64url'), // the broker is anonymous; the value must pass the secrets rule
    ALERTING_HTTP_PORT: '0',
    LOG_LEVEL: 'warn',
    ...env,
  });
  const app = await bootstrapAlerting(config, overrides);
  services.defer(() => app.close());
  return app;
}

/** The other side of alerting's topics (ingest's readings, api's events) on the suite's broker. */
export async function connectInternalBus(services: Pick<AlertingServices, 'mosquitto' | 'defer'>): Promise<InternalBus> {
  const bus = await InternalBus.connect(services.mosquitto.url);
  services.defer(() => bus.close());
  return bus;
}
