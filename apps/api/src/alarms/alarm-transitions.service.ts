import { Injectable } from '@nestjs/common';
import { AlarmStore, type TransitionOutcome } from '@sw/persistence';
import { alarmNotFound, type AlarmResult, type AlarmSnapshot } from '@sw/rules';
import { EventPublisherService } from '../broker/event-publisher.service';

/**
 * Every alarm transition the api causes goes through here: committed by `AlarmStore.transition`
 * (gap-free seq), then announced on `internal/events` — commit before announce.
 */
@Injectable()
export class AlarmTransitionsService {
  constructor(
    private readonly store: AlarmStore,
    private readonly publisher: EventPublisherService,
  ) {}

  async apply(alarmId: string, regionCode: string, fn: (current: AlarmSnapshot) => AlarmResult): Promise<TransitionOutcome> {
    const outcome = await this.store.transition({ id: alarmId }, regionCode, (current) =>
      current ? fn(current) : alarmNotFound(alarmId),
    );
    if (outcome.ok) this.publisher.announce(outcome.events);
    return outcome;
  }
}
