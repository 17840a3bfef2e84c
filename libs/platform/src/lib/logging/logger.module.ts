import type { DynamicModule } from '@nestjs/common';
import { LoggerModule, type Params } from 'nestjs-pino';

/** What the shell's logger reads of an app's config. */
export interface LogConfig {
  LOG_LEVEL: string;
  LOG_FORMAT: 'json' | 'pretty';
}

/** Extras an app may add: headers to redact, the routes the request logger runs on. */
export interface LogOptions {
  redact?: string[];
  forRoutes?: Params['forRoutes'];
}

/**
 * Structured logs (docs/style.md "Edges"): pino JSON lines, `LOG_FORMAT=pretty` for a terminal;
 * no per-request log lines (`autoLogging: false`).
 */
export function loggerModule(config: LogConfig, options: LogOptions = {}): DynamicModule {
  return LoggerModule.forRoot({
    ...(options.forRoutes && { forRoutes: options.forRoutes }),
    pinoHttp: {
      level: config.LOG_LEVEL,
      autoLogging: false,
      ...(options.redact && { redact: options.redact }),
      transport: config.LOG_FORMAT === 'pretty' ? { target: 'pino-pretty', options: { singleLine: true } } : undefined,
    },
  });
}
