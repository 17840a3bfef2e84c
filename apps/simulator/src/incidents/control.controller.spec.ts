import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { ControlController } from './control.controller';
import { IncidentsService } from './incidents.service';

const T0 = 1_795_831_200_000;

describe(ControlController.name, () => {
  let server: Server;
  let base: string;
  const lines: string[] = [];

  beforeEach(async () => {
    const incidents = new IncidentsService(
      [{ code: 'GAS', points: [{ code: 'CO-01', type: 'co', unit: 'ppm', baseline: 4 }] }],
      () => 'id-1',
    );
    const sut = new ControlController(incidents, (l) => lines.push(l), () => T0);
    server = await sut.listen('127.0.0.1', 0);
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterEach(() => new Promise<void>((r) => server.close(() => r())));

  const post = (body: unknown) =>
    fetch(`${base}/incidents`, { method: 'POST', body: typeof body === 'string' ? body : JSON.stringify(body) });

  it('starts an incident: 202 with its id, then lists it', async () => {
    const res = await post({ kind: 'co_leak', durationS: 60 });
    expect(res.status).toBe(202);
    expect(await res.json()).toMatchObject({ id: 'id-1', kind: 'co_leak', gateway: 'GAS', points: ['CO-01'], phase: 'ramping' });
    const list = (await (await fetch(`${base}/incidents`)).json()) as { id: string }[];
    expect(list.map((i) => i.id)).toEqual(['id-1']);
    expect(lines.some((l) => l.includes('co_leak on GAS'))).toBe(true);
  });

  it('answers 400 with the reason for a bad body', async () => {
    const unknownKind = await post({ kind: 'meteor' });
    expect(unknownKind.status).toBe(400);
    expect(await unknownKind.json()).toMatchObject({ statusCode: 400, error: 'Bad Request', message: [expect.stringContaining('kind')] });
    expect((await post({ kind: 'co_leak', durationS: -1 })).status).toBe(400);
    expect((await post({ kind: 'co_leak', extra: 1 })).status).toBe(400);
    expect((await post('{not json')).status).toBe(400);
  });

  it('maps refusals: unknown gateway 404, missing point type 422, duplicate 409', async () => {
    expect((await post({ kind: 'co_leak', gateway: 'NOPE' })).status).toBe(404);
    expect((await post({ kind: 'hopper_over_temperature' })).status).toBe(422);
    await post({ kind: 'co_leak' });
    expect((await post({ kind: 'co_leak' })).status).toBe(409);
  });

  it('ends an incident early with DELETE, 404 for an unknown one', async () => {
    await post({ kind: 'co_leak' });
    const res = await fetch(`${base}/incidents/id-1`, { method: 'DELETE' });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ id: 'id-1', phase: 'recovering' });
    expect((await fetch(`${base}/incidents/id-2`, { method: 'DELETE' })).status).toBe(404);
  });

  it('answers 404 and 405 for other routes and methods', async () => {
    expect((await fetch(`${base}/nope`)).status).toBe(404);
    expect((await fetch(`${base}/incidents`, { method: 'PUT' })).status).toBe(405);
  });
});
