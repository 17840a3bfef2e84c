import type { DynamicModule } from '@nestjs/common';

/** The app's parsed config under its token, visible to every module of the app. */
export function configModule<C>(token: symbol, config: C): DynamicModule {
  return {
    module: class ConfigModule {},
    global: true,
    providers: [{ provide: token, useValue: config }],
    exports: [token],
  };
}
