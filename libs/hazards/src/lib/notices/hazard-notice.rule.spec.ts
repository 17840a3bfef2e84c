import type { HazardSnapshot } from '../life/hazard.types';
import { hazardNoticeKey, overdueDays, renderHazardNotice } from './hazard-notice.rule';

const DEADLINE = '2026-12-10T00:00:00.000Z';
const DAY = 86_400_000;
const plan = { measures: '加装泄爆片', funds: null, responsible: '张三', deadline: DEADLINE };

const factory = {
  hazard: (over: Partial<HazardSnapshot> = {}): HazardSnapshot => ({
    id: 'h-1',
    enterpriseId: 'e-1',
    regionCode: '320505',
    source: 'self_check',
    status: 'rectifying',
    article: 11,
    item: 3,
    categories: ['metal_dust'],
    description: '除尘器未设泄爆装置',
    location: null,
    pointId: null,
    alarm: null,
    reportId: null,
    reportedAt: '2026-12-01T00:00:00.000Z',
    reportedBy: { id: 'u', username: 'u', role: 'enterprise' },
    confirmedAt: '2026-12-01T01:00:00.000Z',
    confirmedBy: { id: 'r', username: 'r', role: 'regulator' },
    rejectedReason: null,
    plan,
    evidence: null,
    returns: 0,
    lastReturnReason: null,
    signedOffAt: null,
    signedOffBy: null,
    updatedAt: '2026-12-01T01:00:00.000Z',
    ...over,
  }),
};

describe(overdueDays.name, () => {
  const d = Date.parse(DEADLINE);
  // docs/domain.md: overdue by a day escalates to the district duty officer, then daily
  it.each([
    ['before the deadline', 'rectifying', d - 1, 0],
    ['within the first day', 'rectifying', d + DAY - 1, 0],
    ['a day past', 'rectifying', d + DAY, 1],
    ['two days past, evidence submitted', 'submitted', d + 2 * DAY + 5, 2],
    ['signed off', 'signed_off', d + 3 * DAY, null],
    ['rejected', 'rejected', d + 3 * DAY, null],
  ] as const)('%s: %s', (_what, status, now, expected) => {
    expect(overdueDays(factory.hazard({ status }), now)).toBe(expected);
  });

  it('no plan yet: no deadline, never overdue', () => {
    expect(overdueDays(factory.hazard({ status: 'confirmed', plan: null }), Date.parse(DEADLINE) + 9 * DAY)).toBeNull();
  });
});

describe(hazardNoticeKey.name, () => {
  it('one key per hazard, occasion (and day), person and channel', () => {
    expect(hazardNoticeKey('h-1', 'confirmed', null, 'principal', 'sms')).toBe('hazard:h-1:confirmed:principal:sms');
    expect(hazardNoticeKey('h-1', 'overdue', 2, 'district_duty_officer#320505.0', 'wechat')).toBe('hazard:h-1:overdue:d2:district_duty_officer#320505.0:wechat');
    expect(hazardNoticeKey('h-1', 'overdue', 1, 'p', 'sms')).not.toBe(hazardNoticeKey('h-1', 'overdue', 2, 'p', 'sms'));
  });
});

describe(renderHazardNotice.name, () => {
  it('confirmed: enterprise, basis, description, deadline in Asia/Shanghai, console path', () => {
    const sut = renderHazardNotice(factory.hazard(), 'confirmed', '某铝业有限公司', '2026-12-01T01:00:00.000Z');
    expect(sut.title).toBe('【重大事故隐患确认】某铝业有限公司');
    expect(sut.body).toContain('判定依据：第十一条(三)');
    expect(sut.body).toContain('整改期限：2026-12-10 08:00:00');
    expect(sut.body).toContain('时间：2026-12-01 09:00:00');
    expect(sut.link).toBe('/#/hazards/h-1');
  });

  it('overdue: the number of days', () => {
    const sut = renderHazardNotice(factory.hazard(), 'overdue', '某铝业有限公司', '2026-12-12T00:00:00.000Z', 2);
    expect(sut.title).toBe('【重大事故隐患逾期2天】某铝业有限公司');
    expect(sut.body).toContain('已逾期：2天，未销号');
  });
});
