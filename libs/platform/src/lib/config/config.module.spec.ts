import { Inject, Injectable, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { configModule } from './config.module';

const DEMO_CONFIG = Symbol('DEMO_CONFIG');

@Injectable()
class Reader {
  constructor(@Inject(DEMO_CONFIG) readonly config: { name: string }) {}
}

@Module({ providers: [Reader] })
class FeatureModule {}

describe(configModule.name, () => {
  it('every module of the app sees the config under its token (global)', async () => {
    @Module({ imports: [configModule(DEMO_CONFIG, { name: 'demo' }), FeatureModule] })
    class RootModule {}
    const sut = await NestFactory.createApplicationContext(RootModule, { logger: false });
    expect(sut.get(Reader).config).toEqual({ name: 'demo' });
    await sut.close();
  });
});
