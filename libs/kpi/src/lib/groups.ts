/** What groups a KPI: the enterprise's six-digit district and its risk categories. */
export interface Grouped {
  regionCode: string;
  riskCategories: readonly string[];
}

/** A KPI overall, by county-level district and by risk category (an item counts once in each of its categories). */
export type ByGroups<R> = R & {
  byDistrict: (R & { regionCode: string })[];
  byCategory: (R & { category: string })[];
};

/** The items under each of their keys (an item with several keys is in each group), sorted by key. */
export function groupBy<T, K extends string>(list: readonly T[], keys: (t: T) => readonly K[]): [K, T[]][] {
  const groups = new Map<K, T[]>();
  for (const t of list) {
    for (const k of keys(t)) {
      const group = groups.get(k);
      if (group) group.push(t);
      else groups.set(k, [t]);
    }
  }
  return [...groups].sort(([a], [b]) => a.localeCompare(b));
}

/** `summarize` over all items, by `regionCode`, and by each of `riskCategories`, sorted by key. */
export function byGroups<T extends Grouped, R extends object>(items: readonly T[], summarize: (list: readonly T[]) => R): ByGroups<R> {
  return {
    ...summarize(items),
    byDistrict: groupBy(items, (t) => [t.regionCode]).map(([regionCode, list]) => ({ regionCode, ...summarize(list) })),
    byCategory: groupBy(items, (t) => t.riskCategories).map(([category, list]) => ({ category, ...summarize(list) })),
  };
}
