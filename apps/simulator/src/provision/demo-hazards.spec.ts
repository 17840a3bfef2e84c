import { findCatalogueItem, itemsForCategories } from '@sw/hazards';
import { DEMO_DISTRICT } from './demo-district.constants';
import { DEMO_HAZARDS, DEMO_PUBLIC_REPORT, DEMO_USERS } from './demo-hazards.constants';

const STATE_AFTER: Record<string, string> = { confirm: 'confirmed', plan: 'rectifying', 'plan-overdue': 'rectifying', submit: 'submitted', return: 'rectifying', 'sign-off': 'signed_off' };

describe('the demo district’s hazards', () => {
  it('names catalogue items of each enterprise’s own categories', () => {
    for (const h of DEMO_HAZARDS) {
      const enterprise = DEMO_DISTRICT.find((e) => e.serial === h.serial);
      expect(enterprise).toBeDefined();
      expect(findCatalogueItem(h.article, h.item)).not.toBeNull();
      expect(itemsForCategories(enterprise!.riskCategories).some((i) => i.article === h.article && i.item === h.item)).toBe(true);
    }
  });

  it('ends each hazard in the state it says, and covers every state and an overdue one', () => {
    for (const h of DEMO_HAZARDS) expect(h.steps.reduce((s, step) => STATE_AFTER[step.action] ?? s, 'reported')).toBe(h.ends);
    expect(new Set(DEMO_HAZARDS.map((h) => h.ends))).toEqual(new Set(['reported', 'confirmed', 'rectifying', 'submitted', 'signed_off']));
    expect(DEMO_HAZARDS.filter((h) => h.overdue)).toHaveLength(1);
  });

  it('has the enterprise user record only its own enterprise’s hazards, and 销号 by someone other than the confirmer', () => {
    for (const h of DEMO_HAZARDS) {
      if (h.by === 'safety' || h.steps.some((s) => s.as === 'safety')) expect(h.serial).toBe(DEMO_USERS.safety.serial);
      const confirmer = h.steps.find((s) => s.action === 'confirm')?.as;
      const signer = h.steps.find((s) => s.action === 'sign-off')?.as;
      if (signer) expect(signer).not.toBe(confirmer);
    }
  });

  it('files the public report about an enterprise of the district', () => {
    expect(DEMO_DISTRICT.map((e) => e.name)).toContain(DEMO_PUBLIC_REPORT.enterpriseName);
  });
});
