import { Global, Module } from '@nestjs/common';
import { BrokerService } from './broker.service';
import { EventPublisherService } from './event-publisher.service';
import { LocalBusService } from './local-bus.service';

@Global()
@Module({
  providers: [BrokerService, LocalBusService, EventPublisherService],
  exports: [BrokerService, LocalBusService, EventPublisherService],
})
export class BrokerModule {}
