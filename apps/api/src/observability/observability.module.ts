import { Global, type MiddlewareConsumer, Module, type NestModule, RequestMethod } from '@nestjs/common';
import { observabilityProviders } from '@sw/platform';
import { API_CONFIG } from '../config/api.config';
import { ReadingsModule } from '../readings/readings.module';
import { HttpMetricsMiddleware } from './http-metrics.middleware';
import { MetricsService } from './metrics.service';
import { ObservabilityController } from './observability.controller';
import { ObservabilityService } from './observability.service';

@Global()
@Module({
  imports: [ReadingsModule],
  controllers: [ObservabilityController],
  providers: [MetricsService, ...observabilityProviders(ObservabilityService, API_CONFIG)],
  exports: [MetricsService],
})
export class ObservabilityModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(HttpMetricsMiddleware).forRoutes({ path: '{*path}', method: RequestMethod.ALL });
  }
}
