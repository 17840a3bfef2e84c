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
