import { type DynamicModule, Module, type Provider } from '@nestjs/common';
import { HttpErrorsModule } from '@sw/http-edge';
import { configModule, loggerModule, ObservabilityController, observabilityProviders } from '@sw/platform';
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
import { ObservabilityService } from './observability/observability.service';
import { PriorityLaneService } from './readings/priority-lane.service';
import { ReadingPublisherService } from './readings/reading-publisher.service';
import { ReadingSinkService } from './readings/reading-sink.service';
import { TelemetryService } from './readings/telemetry.service';

@Module({})
export class AppModule {
  static forConfig(config: IngestConfig): DynamicModule {
    const broker: Provider[] =
      config.BROKER_MODE === 'embedded' ? [EmbeddedBrokerService] : [ExternalBrokerService, MosquittoFilesService];
    return {
      module: AppModule,
      imports: [
        configModule(INGEST_CONFIG, config),
        loggerModule(config),
        DatabaseModule,
        HttpErrorsModule, // the one exception filter (docs/style.md "Edges")
      ],
      controllers: [ObservabilityController, ...(config.BROKER_MODE === 'external' ? [EmqxHooksController] : [])],
      providers: [
        MetricsService,
        ...observabilityProviders(ObservabilityService, INGEST_CONFIG),
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
