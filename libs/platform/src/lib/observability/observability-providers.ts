import type { Provider, Type } from '@nestjs/common';
import { INTERNAL_ACCESS_TOKEN, OBSERVABILITY_PROBE, type ObservabilityProbe } from './observability.types';

/**
 * The app's probe behind the shell's `ObservabilityController`, and who may read the details: the
 * `METRICS_TOKEN` of the config registered under `configToken`.
 */
export function observabilityProviders(probe: Type<ObservabilityProbe>, configToken: symbol): Provider[] {
  return [
    probe,
    { provide: OBSERVABILITY_PROBE, useExisting: probe },
    { provide: INTERNAL_ACCESS_TOKEN, inject: [configToken], useFactory: (config: { METRICS_TOKEN?: string | undefined }) => config.METRICS_TOKEN },
  ];
}
