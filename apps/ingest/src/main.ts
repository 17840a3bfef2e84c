import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { Logger } from 'nestjs-pino';
import { AppModule } from './app.module';
import { loadIngestConfig, type IngestConfig } from './config/ingest.config';
import { startHopTraceWriter } from './observability/hop-trace.writer';

/** Boots ingest; exported so tests and benchmarks run the real app in-process. */
export async function bootstrapIngest(config: IngestConfig) {
  const app = await NestFactory.create(AppModule.forConfig(config), { bufferLogs: true });
  app.useLogger(app.get(Logger));
  app.enableShutdownHooks();
  await app.listen(config.INGEST_HTTP_PORT, config.INGEST_HTTP_BIND);
  return app;
}

if (require.main === module) {
  startHopTraceWriter(); // benchmarks only
  // a refused setting (e.g. a placeholder secret) ends here too: one line naming it, exit 1
  Promise.resolve()
    .then(() => bootstrapIngest(loadIngestConfig()))
    .catch((err: Error) => {
      process.stderr.write(`ingest failed to start: ${err.message}\n`);
      process.exit(1);
    });
}
