// Districts × risk categories: connection and online rates (GET /kpi/connection per district) and
// active alarms (the board's alarms through the enterprise directory).
import type { Alarm, ConnectionKpi, Enterprise, RateRow, RiskCategory, Tier } from '../api/api.types';
import { CATEGORIES } from '../shared/labels';

export interface Cell {
  rates: RateRow | null;
  /** active, not closed alarms per tier */
  alarms: Partial<Record<Tier, number>>;
}

export interface RegionMatrix {
  districts: string[];
  categories: RiskCategory[];
  cell(district: string, category: RiskCategory | 'all'): Cell;
}

export function buildMatrix(overall: ConnectionKpi, perDistrict: ReadonlyMap<string, ConnectionKpi>, alarms: readonly Alarm[], enterprise: (id: string) => Enterprise | undefined): RegionMatrix {
  const counts = new Map<string, Partial<Record<Tier, number>>>();
  const bump = (key: string, tier: Tier) => {
    const c = counts.get(key) ?? {};
    c[tier] = (c[tier] ?? 0) + 1;
    counts.set(key, c);
  };
  const districts = new Set(overall.byDistrict.map((d) => d.regionCode));
  const categories = new Set<RiskCategory>(overall.byCategory.map((c) => c.category));
  for (const a of alarms) {
    if (a.condition !== 'active' || a.stage === 'closed') continue;
    const e = enterprise(a.enterpriseId);
    if (!e) continue;
    districts.add(e.regionCode);
    bump(`${e.regionCode}|all`, a.tier);
    for (const c of e.riskCategories) {
      categories.add(c);
      bump(`${e.regionCode}|${c}`, a.tier);
    }
  }
  return {
    districts: [...districts].sort(),
    categories: CATEGORIES.filter((c) => categories.has(c)),
    cell(district, category) {
      const kpi = perDistrict.get(district);
      const rates = category === 'all' ? (overall.byDistrict.find((d) => d.regionCode === district) ?? null) : (kpi?.byCategory.find((c) => c.category === category) ?? null);
      return { rates, alarms: counts.get(`${district}|${category}`) ?? {} };
    },
  };
}
