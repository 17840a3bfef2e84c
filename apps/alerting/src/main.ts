import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { Logger } from 'nestjs-pino';
import { AppModule, type AlertingOverrides } from './app.module';
import { loadAlertingConfig, type AlertingConfig } from './config/alerting.config';
import { startHopTraceWriter } from './observability/hop-trace.writer';

/** Boots alerting; exported so tests run the real app in-process (optionally on a test clock). */
export async function bootstrapAlerting(config: AlertingConfig, overrides: AlertingOverrides = {}) {
  const app = await NestFactory.create(AppModule.forConfig(config, overrides), { bufferLogs: true });
  app.useLogger(app.get(Logger));
  app.enableShutdownHooks();
  await app.listen(config.ALERTING_HTTP_PORT, config.ALERTING_HTTP_BIND);
  return app;
}

if (require.main === module) {
  startHopTraceWriter(); // benchmarks only
  // a refused setting (e.g. a placeholder secret) ends here too: one line naming it, exit 1
  Promise.resolve()
    .then(() => bootstrapAlerting(loadAlertingConfig()))
    .catch((err: Error) => {
      process.stderr.write(`alerting failed to start: ${err.message}\n`);
      process.exit(1);
    });
}
