import { parseArgs } from 'node:util';
import { oneOf, optionalPositiveInt, UsageError } from '../cli-args';
import type { SimulatorConfig } from '../simulator.config';
import type { StartIncidentBody } from './incident.schema';
import { INCIDENT_KINDS, type IncidentView } from './incident.types';

/**
 * `incident <kind> [--gateway X] [--point P] [--duration S]`, `incident list`, `incident end <id>`:
 * talks to the control API of a running `simulator run`.
 */
export async function incidentCommand(config: SimulatorConfig, args: string[]): Promise<number> {
  const { values: v, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      gateway: { type: 'string' },
      point: { type: 'string' },
      duration: { type: 'string' },
      json: { type: 'boolean', default: false },
    },
  });
  const base = `http://${config.SIMULATOR_CONTROL_HOST}:${config.SIMULATOR_CONTROL_PORT}/incidents`;
  const [verb, id] = positionals;
  if (verb === 'list') return show(await call(base, { method: 'GET' }), v.json);
  if (verb === 'end') {
    if (!id) throw new UsageError('usage: incident end <id>');
    return show(await call(`${base}/${encodeURIComponent(id)}`, { method: 'DELETE' }), v.json);
  }
  const body: StartIncidentBody = {
    kind: oneOf(verb, INCIDENT_KINDS, 'the incident kind'),
    gateway: v.gateway,
    point: v.point,
    durationS: optionalPositiveInt(v.duration, 'duration'),
  };
  return show(await call(base, { method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json' } }), v.json);
}

async function call(url: string, init: RequestInit): Promise<{ status: number; body: unknown }> {
  let res: Response;
  try {
    res = await fetch(url, init);
  } catch (err) {
    throw new Error(`cannot reach the simulator's control API at ${url} (is \`simulator run\` running?): ${(err as Error).message}`);
  }
  const text = await res.text();
  try {
    return { status: res.status, body: JSON.parse(text) as unknown };
  } catch {
    return { status: res.status, body: text };
  }
}

function show({ status, body }: { status: number; body: unknown }, json: boolean): number {
  const ok = status >= 200 && status < 300;
  if (json) console.log(JSON.stringify(body));
  else if (!ok) console.error(`error ${status}: ${JSON.stringify((body as { message?: unknown }).message ?? body)}`);
  else for (const incident of Array.isArray(body) ? (body as IncidentView[]) : [body as IncidentView]) console.log(describe(incident));
  if (ok && Array.isArray(body) && body.length === 0 && !json) console.log('no incidents in force');
  return ok ? 0 : 1;
}

function describe(i: IncidentView): string {
  const points = i.points.length > 0 ? ` (${i.points.join(', ')})` : '';
  return `${i.id}  ${i.kind} on ${i.gateway}${points}  ${i.phase}  recovery from ${i.recoveryStartsAt}, over at ${i.endsAt}`;
}
