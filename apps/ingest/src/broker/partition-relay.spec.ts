import { readdirSync } from 'node:fs';
import { tempDir } from '@sw/testing';
import { PartitionRelay } from './partition-relay';

const partitionOf = (topic: string): number | null => {
  const m = /^internal\/readings\/(\d+)$/.exec(topic);
  return m ? Number(m[1]) : null;
};

const alerting = (id: string) => ({ id, clean: false });

describe('PartitionRelay', () => {
  const dirs: { remove(): void }[] = [];
  afterEach(() => dirs.splice(0).forEach((d) => d.remove()));

  function relay(dir?: string) {
    let folder = dir;
    if (!folder) {
      const made = tempDir('sw-relay-');
      dirs.push(made);
      folder = made.path;
    }
    const published: [string, string][] = [];
    const sut = new PartitionRelay(folder, 10_000_000, (topic, payload) => published.push([topic, payload.toString()]), partitionOf);
    return { sut, published, folder };
  }

  it('holds a partition’s batches while its persistent session is away and sends them, in order, once aedes has re-sent its queue', () => {
    // docs/architecture.md: aedes would interleave its offline queue with live batches on reconnect
    const { sut, published } = relay();
    sut.open();
    const first = alerting('alerting-p-3');
    sut.ready(first);
    sut.subscribed(first, ['internal/readings/3']);
    sut.send('internal/readings/3', Buffer.from('a'));
    sut.disconnected(first);
    sut.send('internal/readings/3', Buffer.from('b'));
    sut.send('internal/readings/3', Buffer.from('c'));
    expect(published).toEqual([['internal/readings/3', 'a']]);

    sut.ready(alerting('alerting-p-3'));
    sut.send('internal/readings/3', Buffer.from('d'));
    expect(published.map(([, p]) => p)).toEqual(['a', 'b', 'c', 'd']);
  });

  it('publishes other topics and partitions nobody holds a session for at once', () => {
    const { sut, published } = relay();
    sut.open();
    sut.send('v1/gateways/GW-1/errors', Buffer.from('x'));
    sut.send('internal/readings/1', Buffer.from('y'));
    expect(published).toEqual([
      ['v1/gateways/GW-1/errors', 'x'],
      ['internal/readings/1', 'y'],
    ]);
  });

  it('sends what the previous run journaled but alerting never acknowledged when the partition’s session subscribes', async () => {
    // a SIGKILL of ingest: the journal outlives aedes' memory
    const folder = tempDir('sw-relay-');
    try {
      const before = relay(folder.path);
      before.sut.open();
      const session = alerting('alerting-p-0');
      before.sut.ready(session);
      before.sut.subscribed(session, ['internal/readings/0']);
      const acked = Buffer.from('acked');
      before.sut.send('internal/readings/0', acked);
      before.sut.send('internal/readings/0', Buffer.from('lost-in-memory'));
      before.sut.acknowledged(acked, session);
      await before.sut.durable();
      // no close(): the process is killed

      const after = relay(folder.path);
      expect(after.sut.open()).toBe(1);
      const again = alerting('alerting-p-0');
      after.sut.ready(again);
      after.sut.send('internal/readings/0', Buffer.from('live'));
      expect(after.published).toEqual([['internal/readings/0', 'live']]); // for the api meanwhile; kept for the session
      after.sut.subscribed(again, ['internal/readings/0']);
      expect(after.published.slice(1).map(([, p]) => p)).toEqual(['lost-in-memory', 'live']);
    } finally {
      folder.remove();
    }
  });

  it('holds batches while a persistent session’s subscription is being set up, so none reaches it ahead of the older ones queued for it', async () => {
    // a SIGKILL of ingest: alerting re-subscribes while readings flow; aedes puts a subscription in
    // place (one event-loop turn) before it emits 'subscribe', and a batch published in between went
    // straight to the session, ahead of the journaled ones, which alerting then ignored as stale
    const folder = tempDir('sw-relay-');
    try {
      const before = relay(folder.path);
      before.sut.open();
      const session = alerting('alerting-p-5');
      before.sut.ready(session);
      before.sut.subscribed(session, ['internal/readings/5']);
      before.sut.send('internal/readings/5', Buffer.from('r1'));
      await before.sut.durable();

      // aedes as the session sees it: a publish reaches it only once its subscription is in place
      const received: string[] = [];
      let inPlace = false;
      const after = new PartitionRelay(folder.path, 10_000_000, (_topic, payload) => void (inPlace && received.push(payload.toString())), partitionOf);
      expect(after.open()).toBe(1);
      const again = alerting('alerting-p-5');
      after.ready(again);
      after.send('internal/readings/5', Buffer.from('r2')); // nobody subscribed yet: kept for the session
      after.subscribing(again, ['internal/readings/5']); // SUBSCRIBE authorized
      after.send('internal/readings/5', Buffer.from('r3'));
      inPlace = true; // aedes registered it …
      after.send('internal/readings/5', Buffer.from('r4'));
      expect(received).toEqual([]); // … but nothing goes before the older batches
      after.subscribed(again, ['internal/readings/5']); // … and emitted 'subscribe'
      after.send('internal/readings/5', Buffer.from('r5'));
      expect(received).toEqual(['r1', 'r2', 'r3', 'r4', 'r5']);
    } finally {
      folder.remove();
    }
  });

  it('counts a persistent session’s restored subscription as in place once the connection is ready', () => {
    const { sut, published } = relay();
    sut.open();
    const session = alerting('alerting-p-6');
    sut.subscribing(session, ['internal/readings/6']); // restored on connect (no 'subscribe' event)
    sut.send('internal/readings/6', Buffer.from('a'));
    expect(published).toEqual([]);
    sut.ready(session);
    sut.send('internal/readings/6', Buffer.from('b'));
    expect(published.map(([, p]) => p)).toEqual(['a', 'b']);
    sut.subscribing({ id: 'api-live', clean: true }, ['internal/readings/6']); // clean sessions change nothing
    sut.send('internal/readings/6', Buffer.from('c'));
    expect(published.map(([, p]) => p)).toEqual(['a', 'b', 'c']);
  });

  it('deletes a segment once everything in it is acknowledged, and ignores acknowledgements from other sessions', async () => {
    const folder = tempDir('sw-relay-');
    try {
      const { sut } = relay(folder.path);
      sut.open();
      const session = alerting('alerting-p-2');
      sut.ready(session);
      sut.subscribed(session, ['internal/readings/2']);
      const payload = Buffer.from('one');
      sut.send('internal/readings/2', payload);
      sut.acknowledged(payload, { id: 'api-live' });
      expect(sut.pending).toBe(1);
      sut.acknowledged(payload, session);
      expect(sut.pending).toBe(0);
      await sut.durable();
      expect(readdirSync(folder.path)).toHaveLength(1); // the current segment only
    } finally {
      folder.remove();
    }
  });
});
