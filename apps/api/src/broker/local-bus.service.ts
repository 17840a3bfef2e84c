import { EventEmitter } from 'node:events';
import { Injectable } from '@nestjs/common';
import type { CommittedEvent } from '@sw/persistence';

/** In-process notifications between modules, typed in one map (docs/style.md: dotted names). */
export interface LocalEvents {
  /** Alarm events this process committed, in seq order. */
  'alarm.committed': [events: CommittedEvent[]];
}

@Injectable()
export class LocalBusService {
  private readonly emitter = new EventEmitter();

  emit<K extends keyof LocalEvents>(name: K, ...args: LocalEvents[K]): void {
    this.emitter.emit(name, ...args);
  }

  on<K extends keyof LocalEvents>(name: K, listener: (...args: LocalEvents[K]) => void): void {
    this.emitter.on(name, listener as (...args: unknown[]) => void);
  }
}
