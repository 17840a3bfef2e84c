import { checklistFor } from './checklist';
import { countsAsSiteVisit, inspectionStep } from '../life/inspection-life.rule';

describe(checklistFor.name, () => {
  it('takes the 判定标准 items of the enterprise’s categories plus the general clauses, in order', () => {
    const sut = checklistFor(['metal_dust']);
    const articles = new Set(sut.map((i) => i.article));
    expect(articles.has(3)).toBe(true); // 第三条 applies to all
    expect(articles.has(11)).toBe(true); // 第十一条 粉尘涉爆
    expect(articles.has(4)).toBe(false); // 第四条 冶金 does not
    const keys = sut.map((i) => i.article * 100 + (i.item ?? 0));
    expect(keys).toEqual([...keys].sort((a, b) => a - b));
  });
});

describe(inspectionStep.name, () => {
  it('walks planned → recorded → rectifying → closed and refuses out of order', () => {
    expect(inspectionStep('planned', 'record')).toEqual({ ok: true, from: 'planned', to: 'recorded' });
    expect(inspectionStep('recorded', 'finding')).toEqual({ ok: true, from: 'recorded', to: 'recorded' });
    expect(inspectionStep('recorded', 'order')).toEqual({ ok: true, from: 'recorded', to: 'rectifying' });
    expect(inspectionStep('rectifying', 'reinspect_failed')).toEqual({ ok: true, from: 'rectifying', to: 'rectifying' });
    expect(inspectionStep('rectifying', 'reinspect_passed')).toEqual({ ok: true, from: 'rectifying', to: 'closed' });
    expect(inspectionStep('planned', 'order')).toMatchObject({ ok: false, code: 'invalid_state' });
    expect(inspectionStep('closed', 'finding')).toMatchObject({ ok: false, code: 'invalid_state' });
  });

  it('counts recorded site visits, not online patrols, as inspections', () => {
    expect(countsAsSiteVisit('double_random', 'recorded')).toBe(true);
    expect(countsAsSiteVisit('double_random', 'planned')).toBe(false);
    expect(countsAsSiteVisit('online_patrol', 'closed')).toBe(false);
  });
});
