import { CATEGORY_TEMPLATES, mandatoryCoverage, mandatorySetOf } from './category-templates.constants';
import { POINT_CATALOG } from './point-catalog.constants';
import type { PointType } from './point-catalog.types';

describe('CATEGORY_TEMPLATES', () => {
  it('has a mandatory set for every risk category, each point a catalog type in its default unit with an interval and a basis', () => {
    // issue 14: the mandatory indicator set (必选) with point types, units, intervals
    for (const template of Object.values(CATEGORY_TEMPLATES)) {
      expect(template.points.length).toBeGreaterThan(0);
      expect(new Set(template.points.map((p) => p.code)).size).toBe(template.points.length);
      for (const p of template.points) {
        expect(p.unit).toBe(POINT_CATALOG[p.type].unit);
        expect(p.expectedIntervalS).toBeGreaterThan(0);
        expect(p.basis).toMatch(/第[一二三四五六七八九十]+条|\[template\]/);
      }
    }
  });

  it('marks every set a template: no national point list (接入规范) was public', () => {
    for (const template of Object.values(CATEGORY_TEMPLATES)) expect(template.publishedList).toBe(false);
  });

  it('gives the plan\'s four categories the items 判定标准 makes mandatory', () => {
    // 判定标准 第四条 (四)(五)(六), 第五条 深井铸造, 第十一条 (三)(四)(六)(八)
    const types = (c: keyof typeof CATEGORY_TEMPLATES) => CATEGORY_TEMPLATES[c].points.map((p) => p.type).sort();
    expect(types('steel')).toEqual(['co', 'flow_difference', 'furnace_top_pressure', 'interlock_bypassed', 'outlet_temperature']);
    expect(types('aluminum_casting')).toEqual(['casting_active', 'interlock_bypassed', 'melt_level', 'melt_level', 'water_flow', 'water_pressure']);
    expect(types('metal_dust')).toEqual(['airlock_fault', 'equipment_running', 'explosion_protection_fault', 'filter_dp', 'hopper_temperature', 'spark_detected']);
    expect(types('wood_dust')).toEqual(types('metal_dust'));
    expect(CATEGORY_TEMPLATES.wood_dust.points.find((p) => p.type === 'spark_detected')?.basis).toContain('第十一条 (八)');
  });
});

describe(mandatoryCoverage.name, () => {
  it('counts the set registered and connected by type, one mandatory point per template point at most', () => {
    // issue 14: "必选 12/14 已接入"
    const p = (type: PointType, reported = true, mandatory = true) => ({ type, reported, mandatory });
    expect(mandatoryCoverage(['steel'], [])).toEqual({ registered: 0, connected: 0, required: 5 });
    expect(
      mandatoryCoverage(['aluminum_casting'], [p('melt_level'), p('melt_level'), p('melt_level'), p('water_flow', false), p('water_pressure', true, false), p('co')]),
    ).toEqual({ registered: 3, connected: 2, required: 6 });
  });

  it('combines categories without counting a shared collector twice', () => {
    expect(mandatorySetOf(['metal_dust', 'wood_dust'])).toHaveLength(6);
    expect(mandatorySetOf(['steel', 'metal_dust']).length).toBe(11);
    expect(mandatorySetOf(['unknown'])).toEqual([]);
  });
});
