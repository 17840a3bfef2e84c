import 'reflect-metadata';
import type { INestApplication } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { WsAdapter } from '@nestjs/platform-ws';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { bootstrapApp, runMain, startHopTraceWriter } from '@sw/platform';
import { cleanupOpenApiDoc } from 'nestjs-zod';
import { AppModule } from './app.module';
import { type ApiConfig, loadApiConfig } from './config/api.config';
import { builtConsoleDir, serveConsole } from './console/console.middleware';
import { refuseDeepJson } from './http/json-depth';
import { parseClientFrame } from './live/live-frames.schema';

export const API_PREFIX = 'api/v1';

/** Boots the api; exported so tests run the real app in-process. Resolves once it listens. */
export async function bootstrapApi(config: ApiConfig): Promise<INestApplication> {
  return bootstrapApp<NestExpressApplication>({
    module: AppModule.forConfig(config),
    port: config.API_PORT, // listen runs the init hooks (migrations, first admin, broker)
    host: config.API_BIND,
    options: { abortOnError: false },
    closeOnFailedListen: true, // let what did start (broker session, pool) stop
    configure: (app) => {
      app.setGlobalPrefix(API_PREFIX, { exclude: ['health', 'metrics'] });
      const json = { limit: '1mb', verify: refuseDeepJson }; // a variable: Nest's type hides `verify` (it sets it only for rawBody)
      app.useBodyParser('json', json);
      if (config.TRUST_PROXY) app.set('trust proxy', /^\d+$/.test(config.TRUST_PROXY) ? Number(config.TRUST_PROXY) : config.TRUST_PROXY);
      if (config.CORS_ORIGIN) app.enableCors({ origin: config.CORS_ORIGIN.split(',').map((o) => o.trim()) });
      app.useWebSocketAdapter(new WsAdapter(app, { messageParser: parseClientFrame }));
      setupOpenApi(app);
      const consoleDir = builtConsoleDir();
      if (consoleDir) serveConsole(app, consoleDir); // the web console at `/` (apps/console)
    },
  });
}

/** OpenAPI document: UI at `/docs`, JSON at `/docs-json`. */
function setupOpenApi(app: INestApplication): void {
  const document = new DocumentBuilder()
    .setTitle('Safety Watch API')
    .setDescription(
      'REST of docs/contracts.md §4 under /api/v1 (bearer JWT from POST /api/v1/auth/token). Errors: `{statusCode, error, message}`. ' +
        'Lists: `page` (from 1), `pageSize` (≤ 500) → `{items, total, page, pageSize}`. Out-of-scope ids answer 404. ' +
        'Live feed: WebSocket `/ws` (docs/contracts.md §5).',
    )
    .setVersion('1')
    .addBearerAuth()
    .build();
  SwaggerModule.setup('docs', app, cleanupOpenApiDoc(SwaggerModule.createDocument(app, document)), { jsonDocumentUrl: 'docs-json' });
}

if (require.main === module) {
  startHopTraceWriter(); // benchmarks only
  runMain('api', () => bootstrapApi(loadApiConfig()));
}
