import 'reflect-metadata';
import { bootstrapApp, runMain, startHopTraceWriter } from '@sw/platform';
import { AppModule, type AlertingOverrides } from './app.module';
import { loadAlertingConfig, type AlertingConfig } from './config/alerting.config';

/** Boots alerting; exported so tests run the real app in-process (optionally on a test clock). */
export async function bootstrapAlerting(config: AlertingConfig, overrides: AlertingOverrides = {}) {
  return bootstrapApp({ module: AppModule.forConfig(config, overrides), port: config.ALERTING_HTTP_PORT, host: config.ALERTING_HTTP_BIND });
}

if (require.main === module) {
  startHopTraceWriter(); // benchmarks only
  runMain('alerting', () => bootstrapAlerting(loadAlertingConfig()));
}
