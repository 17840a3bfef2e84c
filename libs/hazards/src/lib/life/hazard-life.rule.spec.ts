import { HAZARD_ACTIONS, HAZARD_STATUSES, type HazardAction, type HazardActionName, type HazardActor, type HazardSnapshot, type HazardStatus, type NewHazard } from './hazard.types';
import { applyHazardAction, HAZARD_TRANSITIONS, isOverdue, MAX_EVIDENCE_PHOTOS, reportHazard } from './hazard-life.rule';

const AT = '2026-12-01T08:00:00.000Z';
const ENT = '11111111-1111-4111-8111-111111111111';

const factory = {
  actor: (role: HazardActor['role'], over: Partial<HazardActor> = {}): HazardActor => ({
    id: `${role}-1`,
    username: `${role}1`,
    role,
    enterpriseId: role === 'enterprise' ? ENT : null,
    ...over,
  }),
  newHazard: (over: Partial<NewHazard> = {}): NewHazard => ({
    id: 'h-1',
    enterpriseId: ENT,
    regionCode: '320505',
    source: 'self_check',
    article: 11,
    item: 3,
    categories: ['metal_dust'],
    description: '除尘器无泄爆',
    ...over,
  }),
  action: (name: HazardActionName): HazardAction => {
    switch (name) {
      case 'confirm':
        return { action: 'confirm' };
      case 'reject':
        return { action: 'reject', reason: '不构成重大隐患' };
      case 'plan':
        return { action: 'plan', measures: '加装泄爆片', funds: 20000, responsible: '张三', deadline: '2026-12-31T00:00:00.000Z' };
      case 'submit':
        return { action: 'submit', text: '已加装', photos: [] };
      case 'return':
        return { action: 'return', reason: '照片不清' };
      case 'sign_off':
        return { action: 'sign_off' };
    }
  },
  /** A hazard in `status`, confirmed by regulator-1 where the status implies it. */
  hazard: (status: HazardStatus): HazardSnapshot => {
    const r = reportHazard(factory.newHazard(), factory.actor('enterprise'), AT);
    if (!r.ok) throw new Error(r.reason);
    const confirmedBy = { id: 'regulator-1', username: 'regulator1', role: 'regulator' as const };
    const planned = { measures: 'm', funds: null, responsible: 'r', deadline: '2026-12-31T00:00:00.000Z' };
    const past = status !== 'reported' && status !== 'rejected';
    return { ...r.hazard, status, confirmedBy: past ? confirmedBy : null, confirmedAt: past ? AT : null, plan: ['rectifying', 'submitted', 'signed_off'].includes(status) ? planned : null };
  },
};

/** Each (role, action) pair the life allows, and the actor to use (a second regulator signs off). */
const actorFor = (name: HazardActionName, role: HazardActor['role']) => (name === 'sign_off' && role === 'regulator' ? factory.actor('regulator', { id: 'regulator-2', username: 'regulator2' }) : factory.actor(role));

describe(applyHazardAction.name, () => {
  // docs/domain.md "The closed loop": reported → confirmed | rejected → rectifying → submitted → signed_off; returned → rectifying
  const allowed: [HazardStatus, HazardActionName, HazardStatus][] = [
    ['reported', 'confirm', 'confirmed'],
    ['reported', 'reject', 'rejected'],
    ['confirmed', 'plan', 'rectifying'],
    ['rectifying', 'plan', 'rectifying'],
    ['rectifying', 'submit', 'submitted'],
    ['submitted', 'return', 'rectifying'],
    ['submitted', 'sign_off', 'signed_off'],
  ];

  it.each(allowed)('%s --%s--> %s, with one event from/to, actor and time', (from, name, to) => {
    const role = HAZARD_TRANSITIONS[name].roles[0]!;
    const sut = applyHazardAction(factory.hazard(from), factory.action(name), actorFor(name, role), AT);
    expect(sut.ok).toBe(true);
    if (!sut.ok) return;
    expect(sut.hazard.status).toBe(to);
    expect(sut.event).toMatchObject({ event: HAZARD_TRANSITIONS[name].event, from, to, at: AT, actor: { role } });
  });

  const refusedByState = HAZARD_STATUSES.flatMap((s) => HAZARD_ACTIONS.filter((a) => !allowed.some(([f, n]) => f === s && n === a)).map((a) => [s, a] as const));

  it.each(refusedByState)('%s: %s is refused as invalid_state', (from, name) => {
    const role = HAZARD_TRANSITIONS[name].roles.includes('admin') ? 'admin' : 'regulator';
    const sut = applyHazardAction(factory.hazard(from), factory.action(name), actorFor(name, role), AT);
    expect(sut).toMatchObject({ ok: false, code: 'invalid_state' });
  });

  const byRole: [HazardActionName, HazardStatus, HazardActor['role'], boolean][] = [
    ['confirm', 'reported', 'enterprise', false],
    ['confirm', 'reported', 'regulator', true],
    ['confirm', 'reported', 'admin', true],
    ['reject', 'reported', 'enterprise', false],
    ['reject', 'reported', 'regulator', true],
    ['plan', 'confirmed', 'enterprise', true],
    ['plan', 'confirmed', 'regulator', true],
    ['plan', 'confirmed', 'admin', true],
    ['submit', 'rectifying', 'enterprise', true],
    ['submit', 'rectifying', 'regulator', false],
    ['submit', 'rectifying', 'admin', true],
    ['return', 'submitted', 'enterprise', false],
    ['return', 'submitted', 'regulator', true],
    ['sign_off', 'submitted', 'enterprise', false],
    ['sign_off', 'submitted', 'regulator', true],
    ['sign_off', 'submitted', 'admin', true],
  ];

  it.each(byRole)('%s from %s by %s: allowed %s (else forbidden_role)', (name, from, role, ok) => {
    const sut = applyHazardAction(factory.hazard(from), factory.action(name), actorFor(name, role), AT);
    expect(sut.ok ? 'ok' : sut.code).toBe(ok ? 'ok' : 'forbidden_role');
  });

  it('an enterprise user of another enterprise is refused as not_own_enterprise (REST: 404)', () => {
    const other = factory.actor('enterprise', { enterpriseId: '22222222-2222-4222-8222-222222222222' });
    expect(applyHazardAction(factory.hazard('confirmed'), factory.action('plan'), other, AT)).toMatchObject({ ok: false, code: 'not_own_enterprise' });
  });

  it('sign-off by the user who confirmed is refused as same_confirmer (docs/domain.md: a regulator other than the confirmer)', () => {
    const confirmer = factory.actor('regulator'); // regulator-1 confirmed the factory's hazard
    expect(applyHazardAction(factory.hazard('submitted'), factory.action('sign_off'), confirmer, AT)).toMatchObject({ ok: false, code: 'same_confirmer' });
    const adminConfirmed = { ...factory.hazard('submitted'), confirmedBy: { id: 'admin-1', username: 'admin1', role: 'admin' as const } };
    expect(applyHazardAction(adminConfirmed, factory.action('sign_off'), factory.actor('admin'), AT)).toMatchObject({ ok: false, code: 'same_confirmer' });
  });

  it('confirm records the confirmer; sign-off records who and when', () => {
    const confirmed = applyHazardAction(factory.hazard('reported'), { action: 'confirm' }, factory.actor('regulator'), AT);
    expect(confirmed.ok && confirmed.hazard.confirmedBy).toEqual({ id: 'regulator-1', username: 'regulator1', role: 'regulator' });
    const signed = applyHazardAction(factory.hazard('submitted'), { action: 'sign_off' }, actorFor('sign_off', 'regulator'), AT);
    expect(signed.ok && [signed.hazard.signedOffBy?.id, signed.hazard.signedOffAt]).toEqual(['regulator-2', AT]);
  });

  it('return counts and keeps the reason; the plan survives a return', () => {
    const sut = applyHazardAction(factory.hazard('submitted'), { action: 'return', reason: ' 照片不清 ' }, factory.actor('regulator'), AT);
    expect(sut.ok && [sut.hazard.returns, sut.hazard.lastReturnReason, sut.event.reason, sut.hazard.plan?.measures]).toEqual([1, '照片不清', '照片不清', 'm']);
  });

  const badInput: [HazardStatus, HazardAction, HazardActor['role']][] = [
    ['reported', { action: 'reject', reason: '  ' }, 'regulator'],
    ['submitted', { action: 'return', reason: '' }, 'regulator'],
    ['confirmed', { action: 'plan', measures: '', responsible: 'r', deadline: '2026-12-31' }, 'enterprise'],
    ['confirmed', { action: 'plan', measures: 'm', responsible: ' ', deadline: '2026-12-31' }, 'enterprise'],
    ['confirmed', { action: 'plan', measures: 'm', responsible: 'r', deadline: 'soon' }, 'enterprise'],
    ['confirmed', { action: 'plan', measures: 'm', responsible: 'r', deadline: '2026-11-30T00:00:00Z' }, 'enterprise'],
    ['confirmed', { action: 'plan', measures: 'm', responsible: 'r', deadline: '2026-12-31', funds: -1 }, 'enterprise'],
    ['rectifying', { action: 'submit', text: '', photos: [] }, 'enterprise'],
    ['rectifying', { action: 'submit', text: 't', photos: Array.from({ length: MAX_EVIDENCE_PHOTOS + 1 }, (_, i) => ({ id: `p${i}`, sha256: 'x', mime: 'image/png' as const, size: 1 })) }, 'enterprise'],
  ];

  it.each(badInput)('%s: %j is refused as invalid_input', (from, action, role) => {
    expect(applyHazardAction(factory.hazard(from), action, factory.actor(role), AT)).toMatchObject({ ok: false, code: 'invalid_input' });
  });
});

describe(reportHazard.name, () => {
  const sources: [NewHazard['source'], HazardActor['role'], boolean][] = [
    ['self_check', 'enterprise', true],
    ['self_check', 'regulator', false],
    ['self_check', 'admin', true],
    ['inspection', 'regulator', true],
    ['inspection', 'enterprise', false],
    ['regulator', 'regulator', true],
    ['regulator', 'enterprise', false],
    ['report', 'regulator', true],
    ['report', 'enterprise', false],
    ['alarm', 'regulator', true],
    ['alarm', 'enterprise', true],
  ];
  const alarm = { alarmId: 'a-1', tier: 'red', value: 180, peakValue: 200, unit: 'ppm', raisedAt: AT, message: 'CO 高' };

  it.each(sources)('source %s by %s: allowed %s', (source, role, ok) => {
    const sut = reportHazard(factory.newHazard({ source, alarm: source === 'alarm' ? alarm : null }), factory.actor(role), AT);
    expect(sut.ok ? 'ok' : sut.code).toBe(ok ? 'ok' : 'forbidden_role');
  });

  it('starts reported with a `reported` event carrying source and article', () => {
    const sut = reportHazard(factory.newHazard({ source: 'alarm', alarm }), factory.actor('regulator'), AT);
    expect(sut.ok && sut.hazard).toMatchObject({ status: 'reported', reportedAt: AT, alarm, confirmedBy: null, returns: 0 });
    expect(sut.ok && sut.event).toMatchObject({ event: 'reported', from: null, to: 'reported', data: { source: 'alarm', article: 11, item: 3, alarmId: 'a-1' } });
  });

  it('refuses another enterprise, an item not in the catalogue, an empty description, an alarm source without the alarm', () => {
    const other = factory.actor('enterprise', { enterpriseId: 'x' });
    expect(reportHazard(factory.newHazard(), other, AT)).toMatchObject({ ok: false, code: 'not_own_enterprise' });
    expect(reportHazard(factory.newHazard({ article: 11, item: 11 }), factory.actor('enterprise'), AT)).toMatchObject({ ok: false, code: 'invalid_input' });
    expect(reportHazard(factory.newHazard({ article: 6, item: 1 }), factory.actor('enterprise'), AT)).toMatchObject({ ok: false, code: 'invalid_input' });
    expect(reportHazard(factory.newHazard({ description: ' ' }), factory.actor('enterprise'), AT)).toMatchObject({ ok: false, code: 'invalid_input' });
    expect(reportHazard(factory.newHazard({ source: 'alarm' }), factory.actor('regulator'), AT)).toMatchObject({ ok: false, code: 'invalid_input' });
  });
});

describe(isOverdue.name, () => {
  const deadline = Date.parse('2026-12-31T00:00:00.000Z');
  it.each([
    ['rectifying', deadline + 1, true],
    ['rectifying', deadline - 1, false],
    ['submitted', deadline + 1, true],
    ['signed_off', deadline + 1, false],
    ['confirmed', deadline + 1, false], // no plan, no deadline yet
  ] as const)('%s at deadline%+d ms: %s', (status, now, expected) => {
    expect(isOverdue(factory.hazard(status), now)).toBe(expected);
  });
});
