import { type DynamicModule, Module, type Provider } from '@nestjs/common';
import { HttpErrorsModule } from '@sw/http-edge';
import { LoggerModule } from 'nestjs-pino';
import { EmbeddedBrokerService } from './broker/embedded-broker.service';
import { ExternalBrokerService } from './broker/external-broker.service';
import { EmqxHooksController } from './broker/emqx-hooks.controller';
import { GatewayAuthService } from './broker/gateway-auth.service';
import { MqttAuthThrottle } from './broker/mqtt-auth-throttle.service';
import { MosquittoFilesService } from './broker/mosquitto-files.service';
import { OutboundBusService } from './broker/outbound-bus.service';
import { INGEST_CONFIG, type IngestConfig } from './config/ingest.config';
import { DatabaseModule } from './database/database.module';
import { GatewayRegistryService } from './gateways/gateway-registry.service';
import { GatewayStateService } from './gateways/gateway-state.service';
import { InfluxWriterService } from './influx/influx-writer.service';
import { ModbusPollingService } from './modbus/modbus-polling.service';
import { MetricsService } from './observability/metrics.service';
import { ObservabilityController } from './observability/observability.controller';
import { PriorityLaneService } from './readings/priority-lane.service';
import { ReadingPublisherService } from './readings/reading-publisher.service';
import { ReadingSinkService } from './readings/reading-sink.service';
import { TelemetryService } from './readings/telemetry.service';

@Module({})
export class AppModule {
  static forConfig(config: IngestConfig): DynamicModule {
    const broker: Provider[] =
      config.BROKER_MODE === 'embedded' ? [EmbeddedBrokerService] : [ExternalBrokerService, MosquittoFilesService];
    const configModule: DynamicModule = {
      module: class ConfigModule {},
      global: true,
      providers: [{ provide: INGEST_CONFIG, useValue: config }],
      exports: [INGEST_CONFIG],
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
      controllers: [ObservabilityController, ...(config.BROKER_MODE === 'external' ? [EmqxHooksController] : [])],
      providers: [
        MetricsService,
        OutboundBusService,
        GatewayRegistryService,
        GatewayStateService,
        InfluxWriterService,
        ReadingPublisherService,
        PriorityLaneService,
        ReadingSinkService,
        TelemetryService,
        ModbusPollingService,
        GatewayAuthService,
        MqttAuthThrottle,
        ...broker,
      ],
    };
  }
}
