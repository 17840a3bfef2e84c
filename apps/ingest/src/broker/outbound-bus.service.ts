import { Injectable, Logger } from '@nestjs/common';

export interface OutboundSink {
  publish(topic: string, payload: string | Buffer, qos: 0 | 1): void;
}

/**
 * Where ingest's own messages go (errors to gateways, normalized readings to alerting). The broker
 * in use — embedded aedes or the client of an external broker — attaches itself at start-up, so
 * the reading services do not depend on which one it is.
 */
@Injectable()
export class OutboundBusService {
  private readonly logger = new Logger(OutboundBusService.name);
  private sink: OutboundSink | null = null;

  attach(sink: OutboundSink): void {
    this.sink = sink;
  }

  publish(topic: string, payload: string | Buffer, qos: 0 | 1): void {
    if (!this.sink) {
      this.logger.warn(`no broker attached; dropped a message for ${topic}`);
      return;
    }
    this.sink.publish(topic, payload, qos);
  }
}
