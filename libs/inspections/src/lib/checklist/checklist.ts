import { itemsForCategories } from '@sw/hazards';

/** How a checklist item was found on site. */
export const CHECK_RESULTS = ['compliant', 'finding', 'not_applicable'] as const;
export type CheckResult = (typeof CHECK_RESULTS)[number];

export const CHECK_RESULT_ZH: Record<CheckResult, string> = { compliant: '符合', finding: '发现问题', not_applicable: '不适用' };

export interface ChecklistTemplateItem {
  article: number;
  item: number | null;
  /** e.g. 第十一条(三) */
  label: string;
  title: string;
}

/**
 * The checklist of a visit: the 判定标准 items (@sw/hazards catalogue) that apply to the
 * enterprise's risk categories — the general clauses always — in article and item order.
 */
export function checklistFor(categories: readonly string[]): ChecklistTemplateItem[] {
  return itemsForCategories(categories)
    .map((i) => ({ article: i.article, item: i.item, label: i.label, title: i.title }))
    .sort((a, b) => a.article - b.article || (a.item ?? 0) - (b.item ?? 0));
}
