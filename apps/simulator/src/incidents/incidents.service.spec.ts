import type { IncidentGatewayInfo, IncidentPointInfo } from './incident.types';
import { IncidentError, IncidentsService } from './incidents.service';

const T0 = 1_795_831_200_000;
const pt = (code: string, type: IncidentPointInfo['type'], baseline = 1): IncidentPointInfo => ({ code, type, unit: '', baseline });
const GATEWAYS: IncidentGatewayInfo[] = [
  { code: 'STEEL-COOL', points: [pt('FI-01', 'water_flow', 300)] },
  { code: 'GAS', points: [pt('CO-01', 'co', 4), pt('CO-02', 'co', 4)] },
  { code: 'CAST', points: [pt('CA-01', 'casting_active'), pt('FL-01', 'water_flow', 120), pt('PR-01', 'water_pressure', 0.35)] },
  { code: 'DUST', points: [pt('HT-01', 'hopper_temperature', 40)] },
];

function makeSut(): IncidentsService {
  let n = 0;
  return new IncidentsService(GATEWAYS, () => `id-${++n}`);
}

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (err) {
    return err instanceof IncidentError ? err.code : 'other';
  }
  return undefined;
}

describe(IncidentsService.name, () => {
  it('defaults to the first gateway with the right point type', () => {
    const sut = makeSut();
    expect(sut.start({ kind: 'co_leak' }, T0).gateway).toBe('GAS');
    expect(sut.start({ kind: 'hopper_over_temperature' }, T0).gateway).toBe('DUST');
    expect(sut.start({ kind: 'gateway_silent' }, T0).gateway).toBe('STEEL-COOL');
  });

  it('prefers a gateway with every type of the kind (crystalliser flow and pressure)', () => {
    const incident = makeSut().start({ kind: 'cooling_water_loss' }, T0);
    expect(incident.gateway).toBe('CAST');
    expect(incident.targets.map((t) => t.code)).toEqual(['FL-01', 'PR-01']);
  });

  it('uses the gateway and point asked for', () => {
    const incident = makeSut().start({ kind: 'co_leak', gateway: 'GAS', point: 'CO-02', durationS: 60 }, T0);
    expect(incident.targets.map((t) => t.code)).toEqual(['CO-02']);
    expect(incident.holdUntil).toBe(T0 + 60_000);
  });

  it('refuses unknown gateways, gateways without the type, and a second incident of a kind', () => {
    const sut = makeSut();
    expect(codeOf(() => sut.start({ kind: 'co_leak', gateway: 'NOPE' }, T0))).toBe('gateway_not_found');
    expect(codeOf(() => sut.start({ kind: 'co_leak', gateway: 'DUST' }, T0))).toBe('no_target');
    sut.start({ kind: 'co_leak' }, T0);
    expect(codeOf(() => sut.start({ kind: 'co_leak' }, T0 + 1))).toBe('conflict');
    expect(codeOf(() => sut.end('id-404', T0))).toBe('not_found');
  });

  it('lists incidents until their recovery is over', () => {
    const sut = makeSut();
    const incident = sut.start({ kind: 'co_leak', durationS: 60 }, T0);
    expect(sut.list(T0 + 60_000 + 29_999).map((i) => i.id)).toEqual([incident.id]);
    expect(sut.list(T0 + 90_000)).toEqual([]);
    expect(sut.forGateway('GAS', T0 + 90_000)).toEqual([]);
  });

  it('ends an incident early: recovery starts now', () => {
    const sut = makeSut();
    const incident = sut.start({ kind: 'co_leak' }, T0);
    expect(sut.end(incident.id, T0 + 40_000).holdUntil).toBe(T0 + 40_000);
    expect(sut.list(T0 + 70_000)).toEqual([]);
  });

  it('silences a gateway for the duration only', () => {
    const sut = makeSut();
    sut.start({ kind: 'gateway_silent', gateway: 'DUST', durationS: 120 }, T0);
    expect(sut.isSilent('DUST', T0 + 119_999)).toBe(true);
    expect(sut.isSilent('GAS', T0 + 1)).toBe(false);
    expect(sut.isSilent('DUST', T0 + 120_000)).toBe(false);
  });
});
