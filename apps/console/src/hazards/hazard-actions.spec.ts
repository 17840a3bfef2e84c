import type { Hazard, HazardStatus } from '../api/api.types';
import { availableActions, offersHazard, signOffHint } from './hazard-actions';

const confirmer = { id: 'u-confirmer', username: 'duty.a', role: 'regulator' as const };
const hazard = (status: HazardStatus, confirmedBy: Hazard['confirmedBy'] = confirmer): Pick<Hazard, 'status' | 'enterpriseId' | 'confirmedBy'> => ({ status, enterpriseId: 'ent-1', confirmedBy });
const regulator = { userId: 'u-other', role: 'regulator' as const, enterpriseId: null };
const admin = { userId: 'u-admin', role: 'admin' as const, enterpriseId: null };
const own = { userId: 'u-ent', role: 'enterprise' as const, enterpriseId: 'ent-1' };
const stranger = { userId: 'u-ent2', role: 'enterprise' as const, enterpriseId: 'ent-2' };

describe('hazard actions by role and state', () => {
  it.each<[HazardStatus, string[], string[]]>([
    ['reported', ['confirm', 'reject'], []],
    ['confirmed', ['plan'], ['plan']],
    ['rectifying', ['plan'], ['plan', 'submit']],
    ['submitted', ['return', 'sign_off'], []],
    ['signed_off', [], []],
    ['rejected', [], []],
  ])('%s: a regulator may %j, the enterprise itself %j', (status, forRegulator, forEnterprise) => {
    expect(availableActions(hazard(status), regulator)).toEqual(forRegulator);
    expect(availableActions(hazard(status), own)).toEqual(forEnterprise);
  });

  it('offers an admin evidence submission as well (the API allows it)', () => {
    expect(availableActions(hazard('rectifying'), admin)).toEqual(['plan', 'submit']);
  });

  it('offers nothing on another enterprise’s hazard', () => {
    for (const s of ['reported', 'confirmed', 'rectifying', 'submitted'] as const) expect(availableActions(hazard(s), stranger)).toEqual([]);
  });

  it('does not offer 销号 to the user who confirmed the hazard, and says why', () => {
    const me = { ...regulator, userId: confirmer.id };
    expect(availableActions(hazard('submitted'), me)).toEqual(['return']);
    expect(signOffHint(hazard('submitted'), me)).toContain('确认该隐患以外');
    expect(signOffHint(hazard('submitted'), regulator)).toBeNull();
  });
});

describe('an alarm offers a hazard', () => {
  it('when its latest disposal names the cause real_hazard', () => {
    expect(offersHazard([{ event: 'raised', data: null }, { event: 'disposed', data: { cause: 'real_hazard', measures: 'x' } }])).toBe(true);
    expect(offersHazard([{ event: 'disposed', data: { cause: 'real_hazard' } }, { event: 'disposed', data: { cause: 'false_alarm' } }])).toBe(false);
    expect(offersHazard([{ event: 'raised', data: null }])).toBe(false);
  });
});
