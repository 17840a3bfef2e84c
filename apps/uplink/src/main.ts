import 'reflect-metadata';
import { bootstrapApp, runMain } from '@sw/platform';
import { AppModule } from './app.module';
import { loadUplinkConfig, type UplinkConfig } from './config/uplink.config';

/** Boots the uplink (docs/architecture.md "The uplink to the province"). */
export async function bootstrapUplink(config: UplinkConfig) {
  return bootstrapApp({ module: AppModule.forConfig(config), port: config.UPLINK_HTTP_PORT, host: config.UPLINK_HTTP_BIND });
}

if (require.main === module) {
  runMain('uplink', () => bootstrapUplink(loadUplinkConfig()));
}
