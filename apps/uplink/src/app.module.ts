import { type DynamicModule, Module } from '@nestjs/common';
import { HttpErrorsModule } from '@sw/http-edge';
import { LoggerModule } from 'nestjs-pino';
import { provinceAdapter } from './adapters/generic-json.adapter';
import { PROVINCE_ADAPTER } from './adapters/province-adapter.types';
import { UPLINK_CONFIG, type UplinkConfig } from './config/uplink.config';
import { DatabaseModule } from './database/database.module';
import { DeliveryWorkerService } from './delivery/delivery-worker.service';
import { UplinkRunnerService } from './delivery/uplink-runner.service';
import { MetricsService } from './observability/metrics.service';
import { ObservabilityController } from './observability/observability.controller';
import { ReadingsRepository } from './sources/readings.repository';
import { SourcesService } from './sources/sources.service';

@Module({})
export class AppModule {
  static forConfig(config: UplinkConfig): DynamicModule {
    const configModule: DynamicModule = {
      module: class ConfigModule {},
      global: true,
      providers: [{ provide: UPLINK_CONFIG, useValue: config }],
      exports: [UPLINK_CONFIG],
    };
    return {
      module: AppModule,
      imports: [
        configModule,
        LoggerModule.forRoot({
          pinoHttp: {
            level: config.LOG_LEVEL,
            autoLogging: false,
            transport: config.LOG_FORMAT === 'pretty' ? { target: 'pino-pretty', options: { singleLine: true } } : undefined,
          },
        }),
        DatabaseModule,
        HttpErrorsModule, // the one exception filter (docs/style.md "Edges")
      ],
      controllers: [ObservabilityController],
      providers: [
        { provide: PROVINCE_ADAPTER, useFactory: () => provinceAdapter(config) },
        MetricsService,
        ReadingsRepository,
        SourcesService,
        DeliveryWorkerService,
        UplinkRunnerService,
      ],
    };
  }
}
