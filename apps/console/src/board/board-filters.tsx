import { CATEGORIES, CATEGORY_LABEL, CONDITION_LABEL, districtText, STAGE_LABEL, TIER_ORDER, tierText } from '../shared/labels';
import { type Option, Select } from '../shared/filter-select';
import type { BoardFilter } from './board-filter';

interface Props {
  filter: BoardFilter;
  districts: string[];
  /** an enterprise user sees one enterprise: no district or category to choose */
  oneEnterprise: boolean;
  onChange(filter: BoardFilter): void;
}

const tiers: Option[] = TIER_ORDER.map((t) => ({ value: t, text: tierText(t) }));
const categories: Option[] = CATEGORIES.map((c) => ({ value: c, text: CATEGORY_LABEL[c] }));
const conditions: Option[] = (['active', 'cleared'] as const).map((c) => ({ value: c, text: CONDITION_LABEL[c] }));
const stages: Option[] = [{ value: 'unclosed', text: '未关闭' }, ...(['open', 'disposed', 'closed'] as const).map((s) => ({ value: s, text: STAGE_LABEL[s] }))];

export function BoardFilters({ filter, districts, oneEnterprise, onChange }: Props) {
  const set = <K extends keyof BoardFilter>(key: K) => (value: string) => onChange({ ...filter, [key]: value as BoardFilter[K] });
  return (
    <div class="filters">
      <Select label="级别" name="tier" all="全部级别" value={filter.tier} options={tiers} onChange={set('tier')} />
      {!oneEnterprise && <Select label="区县" name="district" all="全部区县" value={filter.district} options={districts.map((d) => ({ value: d, text: districtText(d) }))} onChange={set('district')} />}
      {!oneEnterprise && <Select label="行业" name="category" all="全部行业" value={filter.category} options={categories} onChange={set('category')} />}
      <Select label="状态" name="condition" all="全部状态" value={filter.condition} options={conditions} onChange={set('condition')} />
      <Select label="处置" name="stage" all="全部阶段" value={filter.stage} options={stages} onChange={set('stage')} />
    </div>
  );
}
