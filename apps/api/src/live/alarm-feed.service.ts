import { Injectable, type OnModuleInit } from '@nestjs/common';
import { AlarmStore, type CommittedEvent, eventScopeOf, scopeAllows } from '@sw/persistence';
import type { AlarmFrame } from '@sw/rules';
import { drained, type LiveClient, sendFrame } from './live-client.types';
import { REPLAY_PAGE } from './live-frames.schema';
import { EventSequencerService } from './event-sequencer.service';

type OnSlow = (client: LiveClient) => void;

/** The `alarm` frame: the docs/contracts.md §3 event object plus the snapshot after it. */
function alarmFrame(e: CommittedEvent): AlarmFrame {
  return { type: 'alarm', seq: e.seq, event: e.event, at: e.at, actor: e.actor, data: e.data, alarm: e.alarm };
}

/**
 * The `alarms` channel (docs/contracts.md §5): replay of everything in the client's scope after `since`
 * from PostgreSQL, then `live`, then live events — with no gap and no duplicate at the seam.
 * The replay chases the sequencer's position page by page; once it has caught up (checked in the
 * same tick as the switch), later events can only arrive through the live path.
 */
@Injectable()
export class AlarmFeedService implements OnModuleInit {
  private readonly clients = new Set<LiveClient>();
  private onSlow: OnSlow = () => undefined;

  constructor(
    private readonly store: AlarmStore,
    private readonly sequencer: EventSequencerService,
  ) {}

  onModuleInit(): void {
    this.sequencer.addListener((event) => this.deliver(event));
  }

  /** What to do with a client that does not keep up (set by the feed). */
  setSlowConsumerHandler(onSlow: OnSlow): void {
    this.onSlow = onSlow;
  }

  /** Subscribes (a second subscribe while subscribed changes nothing); throws when PostgreSQL fails. */
  async subscribe(client: LiveClient, since: number | undefined): Promise<void> {
    if (client.alarms !== 'off' || !client.scope) return;
    const generation = ++client.alarmsGeneration;
    client.alarms = 'replaying';
    this.clients.add(client);
    let after = since ?? this.sequencer.position;
    const scope = eventScopeOf(client.scope);
    for (let upTo = this.sequencer.position; after < upTo; upTo = this.sequencer.position) {
      while (after < upTo) {
        const rows = await this.store.eventsBetween(after, upTo, scope, REPLAY_PAGE);
        if (client.closed || client.alarmsGeneration !== generation) return;
        for (const row of rows) sendFrame(client, alarmFrame(row), this.onSlow);
        after = rows.length < REPLAY_PAGE ? upTo : (rows.at(-1) as CommittedEvent).seq;
        await drained(client);
      }
    }
    if (client.closed || client.alarmsGeneration !== generation) return;
    // caught up with the sequencer in this tick: from here on events come through deliver()
    client.liveAfter = after;
    client.alarms = 'live';
    sendFrame(client, { type: 'live', head: this.sequencer.position }, this.onSlow);
  }

  unsubscribe(client: LiveClient): void {
    client.alarmsGeneration++;
    client.alarms = 'off';
    this.clients.delete(client);
  }

  private deliver(event: CommittedEvent): void {
    const target = { enterpriseId: event.alarm.enterpriseId, regionCode: event.regionCode };
    for (const client of this.clients) {
      if (client.alarms !== 'live' || event.seq <= client.liveAfter || !client.scope || !scopeAllows(client.scope, target)) continue;
      sendFrame(client, alarmFrame(event), this.onSlow);
    }
  }
}
