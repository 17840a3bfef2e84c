import 'reflect-metadata';
import { bootstrapApp, runMain, startHopTraceWriter } from '@sw/platform';
import { AppModule } from './app.module';
import { loadIngestConfig, type IngestConfig } from './config/ingest.config';

/** Boots ingest; exported so tests and benchmarks run the real app in-process. */
export async function bootstrapIngest(config: IngestConfig) {
  return bootstrapApp({ module: AppModule.forConfig(config), port: config.INGEST_HTTP_PORT, host: config.INGEST_HTTP_BIND });
}

if (require.main === module) {
  startHopTraceWriter(); // benchmarks only
  runMain('ingest', () => bootstrapIngest(loadIngestConfig()));
}
