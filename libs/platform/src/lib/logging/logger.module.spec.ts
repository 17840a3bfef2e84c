import type { Provider, ValueProvider } from '@nestjs/common';
import { type Params, PARAMS_PROVIDER_TOKEN } from 'nestjs-pino';
import { loggerModule } from './logger.module';

/** The params nestjs-pino was given (its one value provider). */
function paramsOf(providers: Provider[] | undefined): Params {
  const provider = (providers ?? []).find((p): p is ValueProvider => typeof p === 'object' && p.provide === PARAMS_PROVIDER_TOKEN);
  return provider?.useValue as Params;
}

describe(loggerModule.name, () => {
  it('JSON lines at the configured level, no per-request lines', () => {
    const params = paramsOf(loggerModule({ LOG_LEVEL: 'warn', LOG_FORMAT: 'json' }).providers);
    expect(params.pinoHttp).toEqual({ level: 'warn', autoLogging: false, transport: undefined });
    expect(params.forRoutes).toBeUndefined();
  });

  it('LOG_FORMAT=pretty: one readable line per entry', () => {
    const params = paramsOf(loggerModule({ LOG_LEVEL: 'info', LOG_FORMAT: 'pretty' }).providers);
    expect(params.pinoHttp).toMatchObject({ transport: { target: 'pino-pretty', options: { singleLine: true } } });
  });

  it('an app may redact headers and name the routes', () => {
    const forRoutes = [{ path: '{*path}', method: 0 }];
    const params = paramsOf(loggerModule({ LOG_LEVEL: 'info', LOG_FORMAT: 'json' }, { redact: ['req.headers.authorization'], forRoutes }).providers);
    expect(params.pinoHttp).toMatchObject({ redact: ['req.headers.authorization'] });
    expect(params.forRoutes).toBe(forRoutes);
  });
});
