import { type DynamicModule, Module } from '@nestjs/common';
import { HttpErrorsModule } from '@sw/http-edge';
import { configModule, loggerModule, ObservabilityController, observabilityProviders } from '@sw/platform';
import { provinceAdapter } from './adapters/generic-json.adapter';
import { PROVINCE_ADAPTER } from './adapters/province-adapter.types';
import { UPLINK_CONFIG, type UplinkConfig } from './config/uplink.config';
import { DatabaseModule } from './database/database.module';
import { DeliveryWorkerService } from './delivery/delivery-worker.service';
import { UplinkRunnerService } from './delivery/uplink-runner.service';
import { MetricsService } from './observability/metrics.service';
import { ObservabilityService } from './observability/observability.service';
import { ReadingsRepository } from './sources/readings.repository';
import { SourcesService } from './sources/sources.service';

@Module({})
export class AppModule {
  static forConfig(config: UplinkConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        configModule(UPLINK_CONFIG, config),
        loggerModule(config),
        DatabaseModule,
        HttpErrorsModule, // the one exception filter (docs/style.md "Edges")
      ],
      controllers: [ObservabilityController],
      providers: [
        { provide: PROVINCE_ADAPTER, useFactory: () => provinceAdapter(config) },
        MetricsService,
        ...observabilityProviders(ObservabilityService, UPLINK_CONFIG),
        ReadingsRepository,
        SourcesService,
        DeliveryWorkerService,
        UplinkRunnerService,
      ],
    };
  }
}
