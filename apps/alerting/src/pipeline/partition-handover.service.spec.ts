import type { AlarmCommitService } from '../alarms/alarm-commit.service';
import type { BrokerService, MessageHandler } from '../broker/broker.service';
import { PartitionHandoverService } from './partition-handover.service';
import type { LeaseHandlers, PartitionLeaseService } from './partition-lease.service';
import type { PartitionStateService } from './partition-state.service';
import type { ReadingIntakeService } from './reading-intake.service';

describe(PartitionHandoverService.name, () => {
  let calls: string[];
  let handlers: LeaseHandlers | null;
  let routed: MessageHandler | null;
  let restored: () => void;
  let sut: PartitionHandoverService;

  beforeEach(() => {
    calls = [];
    handlers = null;
    routed = null;
    restored = () => undefined;
    const leases = {
      start: (h: LeaseHandlers) => {
        handlers = h;
        return Promise.resolve();
      },
    } as unknown as PartitionLeaseService;
    const state = {
      restore: (ps: number[]) => {
        calls.push(`restore ${ps.join(',')}`);
        return new Promise<void>((r) => (restored = r));
      },
      release: (ps: number[], lost: boolean) => {
        calls.push(`state.release ${ps.join(',')} lost=${lost}`);
        return Promise.resolve();
      },
    } as unknown as PartitionStateService;
    const broker = {
      openPartition: (p: number, handler: MessageHandler) => {
        calls.push(`open ${p}`);
        routed = handler;
        return Promise.resolve();
      },
      closePartition: (p: number, force: boolean) => {
        calls.push(`close ${p} force=${force}`);
        return Promise.resolve();
      },
    } as unknown as BrokerService;
    const intake = { handle: (topic: string) => (calls.push(`intake ${topic}`), null) } as unknown as ReadingIntakeService;
    const commits = { settle: () => (calls.push('settle'), Promise.resolve()) } as unknown as AlarmCommitService;
    sut = new PartitionHandoverService(leases, state, broker, intake, commits);
  });

  it('opens a partition\'s broker session only once its state is restored (docs/architecture.md "Scale-out")', async () => {
    const acquiring = sut.acquire([0, 1]);
    await Promise.resolve();
    expect(calls).toEqual(['restore 0,1']);
    restored();
    await acquiring;
    expect(calls).toEqual(['restore 0,1', 'open 0', 'open 1']);
    void routed?.('internal/readings/1', Buffer.from('[]'));
    expect(calls.at(-1)).toBe('intake internal/readings/1');
  });

  it('hands over in reverse: sessions closed, transitions settled, then states written and dropped', async () => {
    await sut.release([2, 3]);
    expect(calls).toEqual(['close 2 force=false', 'close 3 force=false', 'settle', 'state.release 2,3 lost=false']);
  });

  it('a lost lease closes at once and waits for nothing in flight (the fence stops it)', async () => {
    await sut.release([2], true);
    expect(calls).toEqual(['close 2 force=true', 'state.release 2 lost=true']);
  });

  it('gives the leases its acquire and release', async () => {
    await sut.start();
    const acquiring = handlers?.acquire([4]);
    restored();
    await acquiring;
    await handlers?.release([4], true);
    expect(calls).toEqual(['restore 4', 'open 4', 'close 4 force=true', 'state.release 4 lost=true']);
  });
});
