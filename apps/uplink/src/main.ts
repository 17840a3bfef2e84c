import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { Logger } from 'nestjs-pino';
import { AppModule } from './app.module';
import { loadUplinkConfig, type UplinkConfig } from './config/uplink.config';

/** Boots the uplink (docs/architecture.md "The uplink to the province"). */
export async function bootstrapUplink(config: UplinkConfig) {
  const app = await NestFactory.create(AppModule.forConfig(config), { bufferLogs: true });
  app.useLogger(app.get(Logger));
  app.enableShutdownHooks();
  await app.listen(config.UPLINK_HTTP_PORT, config.UPLINK_HTTP_BIND);
  return app;
}

if (require.main === module) {
  // a refused setting (e.g. a placeholder secret) ends here too: one line naming it, exit 1
  Promise.resolve()
    .then(() => bootstrapUplink(loadUplinkConfig()))
    .catch((err: Error) => {
      process.stderr.write(`uplink failed to start: ${err.message}\n`);
      process.exit(1);
    });
}
