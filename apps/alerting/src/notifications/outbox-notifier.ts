import { Inject, Injectable } from '@nestjs/common';
import { DeliveryWorkerService } from './delivery-worker.service';
import { mayNotify } from './notification-targets.factory';
import type { CommittedNotification, NotificationPort } from './notification.types';

/**
 * The notification port once the outbox exists: an event's rows were already committed with it
 * (OutboxWriterService, with the region's policy), so a committed event that may notify only
 * wakes the delivery worker; the others leave it asleep.
 */
@Injectable()
export class OutboxNotifier implements NotificationPort {
  constructor(@Inject(DeliveryWorkerService) private readonly worker: Pick<DeliveryWorkerService, 'poke'>) {}

  notify({ event }: CommittedNotification): void {
    if (mayNotify(event)) this.worker.poke();
  }
}
