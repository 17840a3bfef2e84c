import { Injectable } from '@nestjs/common';
import { DeliveryWorkerService } from './delivery-worker.service';
import type { NotificationPort } from './notification.types';

/**
 * The notification port once the outbox exists: the rows were already committed with the events
 * (OutboxWriterService), so a committed event that notifies only wakes the delivery worker.
 */
@Injectable()
export class OutboxNotifier implements NotificationPort {
  constructor(private readonly worker: DeliveryWorkerService) {}

  notify(): void {
    this.worker.poke();
  }
}
