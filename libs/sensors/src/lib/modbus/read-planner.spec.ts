import type { PlannedItem, ReadRequest, RegisterSpec } from './register-map.types';
import { planReads, splitRequest } from './read-planner';

const factory = {
  item: (key: string, over: Partial<RegisterSpec> = {}): PlannedItem => ({
    key,
    spec: { function: 'holding', address: 0, type: 'int16', ...over },
  }),
};
const shape = (requests: ReadRequest[]) => requests.map((r) => [r.function, r.address, r.count, r.items.map((i) => i.key)]);

describe(planReads.name, () => {
  it('merges adjacent and overlapping entries of one function into one request', () => {
    const sut = planReads([
      factory.item('B', { address: 102, type: 'float32' }),
      factory.item('A', { address: 100, type: 'float32' }),
      factory.item('A-HI', { address: 100, type: 'uint16' }), // the same register read twice
      factory.item('C', { address: 104, type: 'float64' }),
    ]);
    expect(shape(sut.requests)).toEqual([['holding', 100, 8, ['A', 'A-HI', 'B', 'C']]]);
    expect(sut.invalid).toEqual([]);
  });

  it('spans small gaps and splits at large ones', () => {
    const sut = planReads(
      [factory.item('A', { address: 0 }), factory.item('B', { address: 5 }), factory.item('C', { address: 30 })],
      { maxGap: { registers: 4, bits: 0 } },
    );
    expect(shape(sut.requests)).toEqual([['holding', 0, 6, ['A', 'B']], ['holding', 30, 1, ['C']]]);
  });

  it('never merges different functions', () => {
    const sut = planReads([
      factory.item('H', { address: 0 }),
      factory.item('I', { function: 'input', address: 0 }),
      factory.item('C', { function: 'coil', address: 0, type: 'bool' }),
      factory.item('D', { function: 'discrete', address: 1, type: 'bool' }),
    ]);
    expect(shape(sut.requests)).toEqual([
      ['coil', 0, 1, ['C']],
      ['discrete', 1, 1, ['D']],
      ['holding', 0, 1, ['H']],
      ['input', 0, 1, ['I']],
    ]);
  });

  it('keeps register requests within 125 registers (FC3/FC4 limit)', () => {
    // 100 float32 values side by side = 200 registers
    const items = Array.from({ length: 100 }, (_, i) => factory.item(`F${i}`, { address: i * 2, type: 'float32' }));
    const sut = planReads(items);
    expect(sut.requests.map((r) => [r.address, r.count])).toEqual([[0, 124], [124, 76]]);
    expect(sut.requests.every((r) => r.count <= 125)).toBe(true);
    expect(sut.requests.flatMap((r) => r.items).length).toBe(100);
  });

  it('fills a request to exactly 125 registers when the entries allow it', () => {
    const items = Array.from({ length: 126 }, (_, i) => factory.item(`R${i}`, { function: 'input', address: i }));
    expect(planReads(items).requests.map((r) => [r.address, r.count])).toEqual([[0, 125], [125, 1]]);
  });

  it('keeps bit requests within 2000 coils or discrete inputs (FC1/FC2 limit)', () => {
    const items = Array.from({ length: 2500 }, (_, i) => factory.item(`C${i}`, { function: 'coil', address: i, type: 'bool' }));
    expect(planReads(items).requests.map((r) => [r.address, r.count])).toEqual([[0, 2000], [2000, 500]]);
  });

  it('reads isolated entries on their own', () => {
    const sut = planReads([factory.item('A', { address: 0 }), factory.item('B', { address: 1 }), factory.item('C', { address: 2 })], {
      isolate: new Set(['B']),
    });
    expect(shape(sut.requests)).toEqual([['holding', 1, 1, ['B']], ['holding', 0, 3, ['A', 'C']]]);
  });

  it('reports entries that cannot be read as configured', () => {
    const sut = planReads([
      factory.item('COIL-INT', { function: 'coil', type: 'int16' }),
      factory.item('PAST-END', { address: 65535, type: 'float32' }),
      factory.item('FITS', { address: 65534, type: 'float32' }),
      factory.item('LAST', { address: 65535, type: 'uint16' }),
    ]);
    expect(sut.invalid).toEqual([
      { key: 'COIL-INT', reason: 'register map: a coil holds one bit; type must be bool, not int16' },
      { key: 'PAST-END', reason: 'register map: float32 at address 65535 runs past address 65535' },
    ]);
    expect(shape(sut.requests)).toEqual([['holding', 65534, 2, ['FITS', 'LAST']]]);
  });
});

describe(splitRequest.name, () => {
  it('gives one request per entry', () => {
    const [merged] = planReads([factory.item('A', { address: 10, type: 'float32' }), factory.item('B', { address: 14 })]).requests;
    expect(shape(splitRequest(merged!))).toEqual([['holding', 10, 2, ['A']], ['holding', 14, 1, ['B']]]);
  });
});
