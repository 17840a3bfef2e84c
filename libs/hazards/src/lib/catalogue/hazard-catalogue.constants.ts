import { type CatalogueArticle, type CatalogueItem, RISK_CATEGORY_CODES, type RiskCategoryCode } from './hazard-catalogue.types';

/**
 * 《工贸企业重大事故隐患判定标准》(应急管理部令第10号, 2023-04-14, in force 2023-05-15): the
 * articles the platform serves and their items. Titles are our own short wording; the README of
 * this lib names the published text every number was checked against and lists what was not.
 */

const DUST: readonly RiskCategoryCode[] = ['metal_dust', 'wood_dust', 'other_dust'];
const SMELTING: readonly RiskCategoryCode[] = ['steel', 'aluminum_casting'];

export const CATALOGUE_ARTICLES: readonly CatalogueArticle[] = Object.freeze([
  { article: 3, label: '第三条', scope: '管理类（所有工贸企业）', categories: 'all', publishedItemCount: 3 },
  { article: 4, label: '第四条', scope: '冶金企业', categories: ['steel'], publishedItemCount: null },
  { article: 5, label: '第五条', scope: '有色企业（含铝加工深井铸造）', categories: ['aluminum_casting'], publishedItemCount: null },
  { article: 11, label: '第十一条', scope: '存在粉尘爆炸危险的工贸企业', categories: DUST, publishedItemCount: 10 },
  { article: 12, label: '第十二条', scope: '使用液氨制冷的工贸企业', categories: ['ammonia_refrigeration'], publishedItemCount: 2 },
  { article: 13, label: '第十三条', scope: '存在硫化氢、一氧化碳等中毒风险的有限空间作业', categories: ['confined_space'], publishedItemCount: 2 },
  { article: 14, label: '第十四条', scope: '监控、报警、防护设施失效或者无效（适用于各条所列情形）', categories: 'all', publishedItemCount: 0 },
]);

type Row = [article: number, item: number | null, title: string, categories: readonly RiskCategoryCode[] | 'all', verified: boolean];

const ROWS: readonly Row[] = [
  // 第三条 管理类: all three items checked (text and numbering).
  [3, 1, '未对承包、承租单位统一协调管理或者定期安全检查', 'all', true],
  [3, 2, '特种作业人员未经培训取得资格即上岗', 'all', true],
  [3, 3, '金属冶炼企业负责人、安全管理人员未经考核合格', SMELTING, true],
  // 第四条 冶金: (一)–(四) checked; (五)–(九) from a secondary source, not yet against the full text.
  [4, 1, '人员聚集场所或钢铁水罐修罐工位设在熔融金属吊运跨地坪区域内', ['steel'], true],
  [4, 2, '冶炼、精炼、铸造区域的事故坑、渣坑及熔融金属影响范围内积水', ['steel'], true],
  [4, 3, '连铸、模铸流程未设事故钢水罐、漏钢坑、溢流坑等应急设施', ['steel'], true],
  [4, 4, '炼钢炉水冷元件缺出水温度、流量差监测报警或未与倾炉、提枪、断电联锁', ['steel'], true],
  [4, 5, '高炉炉顶工作压力超设计值或炉顶压力监测未与放散阀联锁', ['steel'], false],
  [4, 6, '煤气设施附近人员聚集场所及易泄漏部位缺固定式一氧化碳监测报警或未接入值守场所', ['steel'], false],
  [4, 7, '加热炉、煤气柜、除尘器等设施及进车间煤气管道未装隔断装置', ['steel'], false],
  [4, 8, '正压煤气管线水封式排水器有效封堵高度不足或排水器共用、连通', ['steel'], false],
  [4, 9, '煤气分配主管支管引接处或车间入口燃气总管未设可靠切断装置', ['steel'], false],
  // 第五条 有色: the deep-well casting items' wording was seen as one run in a secondary source; their
  // numbers within 第五条 are not yet checked against the full text.
  [5, 1, '人员聚集场所设在熔融金属吊运跨地坪区域内', ['aluminum_casting'], false],
  [5, 2, '冶炼、精炼、铸造区域的事故坑、渣坑及熔融金属影响范围内积水', ['aluminum_casting'], false],
  [5, 3, '熔融金属铸造环节未设紧急排放和应急储存设施', ['aluminum_casting'], false],
  [5, 4, '水冷冶炼炉窑、铸造机、加热炉未设应急水源', ['aluminum_casting'], false],
  [5, 5, '冶炼炉窑水冷元件缺出水温度、流量差或进水流量、压力监测报警', ['aluminum_casting'], false],
  [5, 6, '深井铸造结晶器冷却水缺进水压力、流量监测报警或未与切断、排放、倾炉联锁', ['aluminum_casting'], false],
  [5, 7, '深井铸造浇铸炉流槽缺液位监测报警或固定式浇铸炉出口缺机械锁紧', ['aluminum_casting'], false],
  [5, 8, '深井铸造固定式浇铸炉流槽缺紧急排放阀、快速切断阀或液位未与其联锁', ['aluminum_casting'], false],
  [5, 9, '深井铸造倾动式浇铸炉流槽缺快速切断阀或液位未与倾动、切断联锁', ['aluminum_casting'], false],
  [5, 10, '深井铸造机卷扬用非钢芯钢丝绳或未定期检查更换', ['aluminum_casting'], false],
  // 第十一条 粉尘涉爆: (一)–(五) checked word for word; (六)–(十) and the article's ten items from the
  // total of fourteen 专项类 items announced with the standard.
  [11, 1, '涉爆场所设在非框架多层建筑内或场所内有宿舍、会议室等人员聚集场所', DUST, true],
  [11, 2, '不同类别粉尘或粉尘与可燃气体共用除尘系统，或跨建筑、防火分区共用互通', DUST, true],
  [11, 3, '干式除尘系统无泄爆、惰化、抑爆等任一防控措施', DUST, true],
  [11, 4, '铝镁粉尘正压除尘，或其他粉尘正压吹送无火花探测消除', DUST, true],
  [11, 5, '重力沉降室除尘或干式巷道式构筑物作除尘风道', DUST, true],
  [11, 6, '铝镁金属粉尘、木质粉尘干式除尘系统无锁气卸灰装置', ['metal_dust', 'wood_dust'], false],
  [11, 7, '划为20区的除尘器、收尘仓等场所电气设备不防爆', DUST, false],
  [11, 8, '粉碎、研磨、造粒、砂光前无杂物去除或砂光风管无火花探测消除', DUST, false],
  [11, 9, '遇湿自燃金属粉尘收集存放场所无防氢气积聚或防水防潮措施', ['metal_dust'], false],
  [11, 10, '未落实粉尘清理制度、现场积尘严重', DUST, false],
  // 第十二条 涉氨制冷, 第十三条 有限空间: two items each (count from the 专项类 total), wording not yet checked.
  [12, 1, '包装、分割、产品整理场所空调用氨直接蒸发制冷', ['ammonia_refrigeration'], false],
  [12, 2, '快速冻结装置未单设作业间或作业间人数超限', ['ammonia_refrigeration'], false],
  [13, 1, '未辨识有限空间、建立台账并设置警示标志', ['confined_space'], false],
  [13, 2, '未审批作业、未先通风再检测后作业或无监护人员', ['confined_space'], false],
  // 第十四条 has no items: a monitoring, alarm or protective device the items rely on has failed.
  [14, null, '所列情形中的监控、报警、防护设施失效或无效', 'all', true],
];

const NUMERALS = ['零', '一', '二', '三', '四', '五', '六', '七', '八', '九', '十'];

/** 3 → 三, 11 → 十一, 14 → 十四, 20 → 二十 (enough for the standard's numbers). */
export function chineseNumeral(n: number): string {
  if (n <= 10) return NUMERALS[n] ?? String(n);
  if (n < 20) return `十${NUMERALS[n - 10] ?? ''}`;
  const tens = Math.floor(n / 10);
  const ones = n % 10;
  return `${NUMERALS[tens] ?? ''}十${ones ? (NUMERALS[ones] ?? '') : ''}`;
}

/** 第四条(六), or 第十四条 for an article without items. */
export function catalogueLabel(article: number, item: number | null): string {
  return `第${chineseNumeral(article)}条${item === null ? '' : `(${chineseNumeral(item)})`}`;
}

export const CATALOGUE_ITEMS: readonly CatalogueItem[] = Object.freeze(
  ROWS.map(([article, item, title, categories, verified]) => Object.freeze({ article, item, label: catalogueLabel(article, item), title, categories, verified })),
);

/** The item a hazard names, or null when the catalogue has no such article/item. */
export function findCatalogueItem(article: number, item: number | null): CatalogueItem | null {
  return CATALOGUE_ITEMS.find((i) => i.article === article && i.item === item) ?? null;
}

/** Items that apply to an enterprise with these categories (general clauses always apply). */
export function itemsForCategories(categories: readonly string[]): CatalogueItem[] {
  return CATALOGUE_ITEMS.filter((i) => i.categories === 'all' || i.categories.some((c) => categories.includes(c)));
}

/**
 * The categories a hazard under `item` is counted in for an enterprise with `enterpriseCategories`:
 * the item's categories the enterprise has; for a general item, all of the enterprise's.
 */
export function hazardCategories(item: CatalogueItem, enterpriseCategories: readonly string[]): RiskCategoryCode[] {
  const own = enterpriseCategories.filter((c): c is RiskCategoryCode => (RISK_CATEGORY_CODES as readonly string[]).includes(c));
  if (item.categories === 'all') return own;
  const applies = item.categories;
  return own.filter((c) => applies.includes(c));
}
