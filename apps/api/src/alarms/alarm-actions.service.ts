import { Injectable } from '@nestjs/common';
import { DomainError } from '@sw/errors';
import { AlarmStore, type Principal, visibleTo } from '@sw/persistence';
import { ack, type ActionInput, type AlarmResult, type AlarmSnapshot, close, comment, dispose, type DisposalCause, shelve, unshelve } from '@sw/rules';
import { AlarmTransitionsService } from './alarm-transitions.service';

type Transition = (alarm: AlarmSnapshot, input: ActionInput) => AlarmResult;

/** Operator actions on alarms (docs/contracts.md §3 rows 5–9, 13): scope, then the pure transition, then commit and announce. */
@Injectable()
export class AlarmActionsService {
  constructor(
    private readonly store: AlarmStore,
    private readonly transitions: AlarmTransitionsService,
  ) {}

  /** The alarm with its events, in scope or 404. */
  async get(p: Principal, id: string) {
    const { alarm } = await this.inScope(p, id);
    return { ...alarm, events: await this.store.events(id) };
  }

  ack(p: Principal, id: string, body: { comment?: string }) {
    return this.act(p, id, (a, i) => ack(a, { ...i, ...body }));
  }

  dispose(p: Principal, id: string, body: { cause: string; measures: string }) {
    return this.act(p, id, (a, i) => dispose(a, { ...i, cause: body.cause as DisposalCause, measures: body.measures }));
  }

  close(p: Principal, id: string, body: { comment?: string }) {
    return this.act(p, id, (a, i) => close(a, { ...i, ...body }));
  }

  shelve(p: Principal, id: string, body: { minutes: number; reason: string }) {
    return this.act(p, id, (a, i) => shelve(a, { ...i, ...body }));
  }

  unshelve(p: Principal, id: string) {
    return this.act(p, id, (a, i) => unshelve(a, i));
  }

  comment(p: Principal, id: string, body: { text: string }) {
    return this.act(p, id, (a, i) => comment(a, { ...i, ...body }));
  }

  /** A refused transition is thrown as its domain error: the alarm's state (409), the input (400), a vanished alarm (404). */
  private async act(p: Principal, id: string, transition: Transition): Promise<AlarmSnapshot> {
    const { regionCode } = await this.inScope(p, id);
    const input: ActionInput = { at: Date.now(), actor: { id: p.id, username: p.username, role: p.role } };
    const outcome = await this.transitions.apply(id, regionCode, (current) => transition(current, input));
    if (outcome.ok) return outcome.alarm;
    throw DomainError.of(outcome);
  }

  /** The alarm in scope; missing or outside it is `alarm_not_found` (the code alerting's transitions use too). */
  private async inScope(p: Principal, id: string) {
    return visibleTo(p, await this.store.get(id), (f) => ({ enterpriseId: f.alarm.enterpriseId, regionCode: f.regionCode }), `alarm ${id}`, 'alarm_not_found');
  }
}
