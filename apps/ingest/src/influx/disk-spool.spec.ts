import { mkdtempSync, promises as fsp, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DiskSpool } from './disk-spool';

/** Real files: every test gets its own temp directory, removed afterwards. */
let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'sw-disk-spool-'));
});
afterEach(() => {
  jest.restoreAllMocks();
  rmSync(dir, { recursive: true, force: true });
});

const factory = {
  sut: async (maxBytes = 1_000_000, at = dir) => {
    const spool = new DiskSpool(at, maxBytes);
    await spool.open();
    return spool;
  },
  /** a batch body of exactly `bytes` bytes, recognisable by its tag */
  body: (tag: string, bytes = 10) => tag.padEnd(bytes, '.'),
};

async function drainAll(sut: DiskSpool): Promise<string[]> {
  const bodies: string[] = [];
  for (let next = await sut.peek(); next; next = await sut.peek()) {
    bodies.push(next.body);
    await sut.remove(next.segment);
  }
  return bodies;
}

describe(DiskSpool.name, () => {
  it('hands batches back oldest first', async () => {
    // docs/architecture.md nothing lost: spooled readings drain in the order they were spooled
    const sut = await factory.sut();
    for (const tag of ['a', 'b', 'c']) await sut.append(factory.body(tag), 1);
    expect(await drainAll(sut)).toEqual([factory.body('a'), factory.body('b'), factory.body('c')]);
    expect(sut.length).toBe(0);
    expect(await sut.peek()).toBeNull();
  });

  it('keeps FIFO order when appends overlap (a large batch then a small one)', async () => {
    // docs/architecture.md nothing lost: the writer spools several batches at once during an outage; they drain in order
    const sut = await factory.sut(100_000_000);
    const large = factory.body('large', 4_000_000);
    await Promise.all([sut.append(large, 1), sut.append(factory.body('small'), 1)]);
    expect((await drainAll(sut)).map((b) => b.slice(0, 5))).toEqual(['large', 'small']);
  });

  it('refuses the batch that would cross the bound when appends overlap, keeping the earlier ones in order', async () => {
    // docs/architecture.md nothing lost: at the bound the spool refuses the new batch and drops nothing it holds
    const sut = await factory.sut(25);
    const taken = await Promise.all(['a', 'b', 'c'].map((tag) => sut.append(factory.body(tag), 1)));
    expect(taken).toEqual([true, true, false]);
    expect(await drainAll(sut)).toEqual([factory.body('a'), factory.body('b')]);
  });

  it('peeks without removing', async () => {
    // docs/architecture.md nothing lost: a batch leaves the spool only once InfluxDB has taken it
    const sut = await factory.sut();
    await sut.append(factory.body('a'), 3);
    const first = await sut.peek();
    const again = await sut.peek();
    expect(again?.segment).toBe(first?.segment);
    expect(first?.segment.count).toBe(3);
    expect(sut.length).toBe(1);
  });

  it('creates its directory when it does not exist yet', async () => {
    // docs/architecture.md nothing lost: a fresh install spools as soon as InfluxDB fails
    const sut = await factory.sut(1_000_000, join(dir, 'nested', 'spool'));
    await sut.append(factory.body('a'), 1);
    expect(readdirSync(join(dir, 'nested', 'spool'))).toHaveLength(1);
  });

  it('survives a restart: a new spool on the same directory picks up the segments in order', async () => {
    // docs/architecture.md nothing lost: what was spooled before a restart is written after it
    const before = await factory.sut();
    await before.append(factory.body('a'), 2);
    await before.append(factory.body('b'), 5);
    const sut = await factory.sut();
    expect(sut.length).toBe(2);
    expect(sut.bytes).toBe(20);
    const first = await sut.peek();
    expect(first?.body).toBe(factory.body('a'));
    expect(first?.segment.count).toBe(2);
    expect(await drainAll(sut)).toEqual([factory.body('a'), factory.body('b')]);
  });

  it('continues the numbering after a restart, so new batches drain after the old ones', async () => {
    // docs/architecture.md nothing lost: FIFO holds across restarts
    const before = await factory.sut();
    for (const tag of ['a', 'b']) await before.append(factory.body(tag), 1);
    const sut = await factory.sut();
    await sut.append(factory.body('c'), 1);
    expect(readdirSync(dir).sort()).toEqual(['0000000000000000-1.json', '0000000000000001-1.json', '0000000000000002-1.json']);
    const after = await factory.sut();
    expect(await drainAll(after)).toEqual([factory.body('a'), factory.body('b'), factory.body('c')]);
  });

  it('ignores files that are not its segments', async () => {
    // docs/architecture.md nothing lost: a stray file in the spool directory neither breaks nor pollutes the drain
    writeFileSync(join(dir, 'notes.txt'), 'hello');
    writeFileSync(join(dir, '12-3.json'), '[]');
    const sut = await factory.sut();
    expect(sut.length).toBe(0);
    expect(sut.bytes).toBe(0);
  });

  it('refuses at the bound, keeps every segment', async () => {
    // docs/architecture.md nothing lost: a spooled batch stands for acknowledged readings; the bound never drops one
    const sut = await factory.sut(25);
    expect(await sut.append(factory.body('a'), 1)).toBe(true);
    expect(await sut.append(factory.body('b'), 2)).toBe(true);
    expect(await sut.append(factory.body('c'), 3)).toBe(false);
    expect(readdirSync(dir).sort()).toEqual(['0000000000000000-1.json', '0000000000000001-2.json']);
    expect(sut.length).toBe(2);
    expect(sut.bytes).toBe(20);
    expect(await drainAll(sut)).toEqual([factory.body('a'), factory.body('b')]);
  });

  it('takes batches again once the drain made room, after the ones it kept', async () => {
    // docs/architecture.md nothing lost: the bound is room, not a drop; FIFO holds across a refusal
    const sut = await factory.sut(25);
    for (const tag of ['a', 'b']) await sut.append(factory.body(tag), 1);
    expect(await sut.append(factory.body('c'), 1)).toBe(false);
    await sut.remove((await sut.peek())!.segment);
    expect(await sut.append(factory.body('c'), 1)).toBe(true);
    expect(await drainAll(sut)).toEqual([factory.body('b'), factory.body('c')]);
  });

  it('takes one batch larger than the bound into an empty spool, and nothing after it', async () => {
    // docs/architecture.md nothing lost: a batch over the whole bound can still be spooled, the bound then refuses
    const sut = await factory.sut(5);
    expect(await sut.append(factory.body('big', 10), 1)).toBe(true);
    expect(await sut.append(factory.body('b', 1), 1)).toBe(false);
    expect(await drainAll(sut)).toEqual([factory.body('big', 10)]);
  });

  it('treats removing a segment twice as harmless', async () => {
    // docs/architecture.md nothing lost: a removal repeated corrupts neither the list nor the byte count
    const sut = await factory.sut();
    for (const tag of ['a', 'b']) await sut.append(factory.body(tag), 1);
    const head = await sut.peek();
    await sut.remove(head!.segment);
    await sut.remove(head!.segment);
    expect(sut.length).toBe(1);
    expect(sut.bytes).toBe(10);
    expect(await drainAll(sut)).toEqual([factory.body('b')]);
  });

  it('rejects a write the disk refuses (ENOSPC), leaves no partial file, and takes the next batch', async () => {
    // docs/architecture.md nothing lost: a partial file would be read back as a batch after a restart
    const sut = await factory.sut();
    await sut.append(factory.body('a'), 1);
    const open = fsp.open;
    jest.spyOn(fsp, 'open').mockImplementationOnce(async (...args: Parameters<typeof fsp.open>) => {
      const file = await open(...args);
      jest.spyOn(file, 'writeFile').mockImplementationOnce(async () => {
        await file.write('b...'); // the disk filled after 4 bytes
        throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
      });
      return file;
    });
    await expect(sut.append(factory.body('b'), 1)).rejects.toThrow(/ENOSPC/);
    expect(readdirSync(dir)).toEqual(['0000000000000000-1.json']);
    expect(sut.length).toBe(1);
    expect(sut.bytes).toBe(10);
    expect(await sut.append(factory.body('c'), 1)).toBe(true);
    expect(await drainAll(sut)).toEqual([factory.body('a'), factory.body('c')]);
  });

  it('still fails loudly when a listed segment cannot be read', async () => {
    // docs/architecture.md nothing lost: a broken spool is reported, not silently skipped
    const sut = await factory.sut();
    await sut.append(factory.body('a'), 1);
    rmSync(join(dir, '0000000000000000-1.json'));
    await expect(sut.peek()).rejects.toThrow(/ENOENT/);
  });

  it('accounts bytes as UTF-8 bytes, on append and remove', async () => {
    // docs/architecture.md nothing lost: the bound is on disk bytes, so multi-byte text counts in full
    const sut = await factory.sut(1_000_000);
    await sut.append('"é"', 1); // 4 bytes
    await sut.append('"一氧化碳"', 1); // 14 bytes
    expect(sut.bytes).toBe(18);
    const head = await sut.peek();
    await sut.remove(head!.segment);
    expect(sut.bytes).toBe(14);
    const reopened = await factory.sut();
    expect(reopened.bytes).toBe(14);
    expect((await reopened.peek())?.body).toBe('"一氧化碳"');
  });
});
