import { CATALOGUE_ARTICLES, CATALOGUE_ITEMS, catalogueLabel, chineseNumeral, findCatalogueItem, hazardCategories, itemsForCategories } from './hazard-catalogue.constants';
import { RISK_CATEGORY_CODES } from './hazard-catalogue.types';

// Pinned against 《工贸企业重大事故隐患判定标准》(应急管理部令第10号) as reproduced by the sources the
// lib README cites; every expectation here was read there, not taken from the catalogue.
describe('hazard catalogue', () => {
  const numbers = (article: number) => CATALOGUE_ITEMS.filter((i) => i.article === article).map((i) => i.item);

  it('第三条 (管理类) has exactly three items, the third on 金属冶炼 managers', () => {
    expect(numbers(3)).toEqual([1, 2, 3]);
    expect(findCatalogueItem(3, 3)?.categories).toEqual(['steel', 'aluminum_casting']);
    expect(findCatalogueItem(3, 1)?.categories).toBe('all');
  });

  it('articles are numbered as published: 冶金 4, 有色 5, 粉尘 11, 液氨 12, 有限空间 13, failed devices 14', () => {
    expect(CATALOGUE_ARTICLES.map((a) => [a.article, a.label])).toEqual([
      [3, '第三条'],
      [4, '第四条'],
      [5, '第五条'],
      [11, '第十一条'],
      [12, '第十二条'],
      [13, '第十三条'],
      [14, '第十四条'],
    ]);
  });

  it('专项类 (第十一条–第十三条) add up to the fourteen items announced with the standard', () => {
    expect(numbers(11).length + numbers(12).length + numbers(13).length).toBe(14);
    expect(numbers(11)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  });

  it('a sample of items read word for word in the published text', () => {
    // 第四条(一) 人员聚集场所…吊运跨的地坪区域; (三) 事故钢水罐; (四) 炼钢炉水冷元件
    expect(findCatalogueItem(4, 1)).toMatchObject({ label: '第四条(一)', verified: true, categories: ['steel'] });
    expect(findCatalogueItem(4, 3)?.title).toContain('事故钢水罐');
    expect(findCatalogueItem(4, 4)?.title).toContain('水冷元件');
    // 第十一条(三) 干式除尘系统未采取泄爆、惰化、抑爆; (五) 重力沉降室
    expect(findCatalogueItem(11, 3)).toMatchObject({ label: '第十一条(三)', verified: true });
    expect(findCatalogueItem(11, 3)?.title).toContain('干式除尘');
    expect(findCatalogueItem(11, 5)?.title).toContain('重力沉降室');
    expect(findCatalogueItem(14, null)).toMatchObject({ label: '第十四条', verified: true });
  });

  it('every item has a unique number, a title, categories the platform knows, and a label from its numbers', () => {
    const keys = CATALOGUE_ITEMS.map((i) => `${i.article}.${i.item}`);
    expect(new Set(keys).size).toBe(keys.length);
    for (const i of CATALOGUE_ITEMS) {
      expect(i.title.length).toBeGreaterThan(4);
      expect(i.label).toBe(catalogueLabel(i.article, i.item));
      if (i.categories !== 'all') for (const c of i.categories) expect(RISK_CATEGORY_CODES).toContain(c);
      expect(CATALOGUE_ARTICLES.some((a) => a.article === i.article)).toBe(true);
    }
    for (const a of CATALOGUE_ARTICLES) if (a.publishedItemCount !== null && a.publishedItemCount > 0) expect(numbers(a.article)).toHaveLength(a.publishedItemCount);
  });

  it('each article holds the number of items the cited text gives it, or says the count is unknown', () => {
    // 第三条 three (read); 第十一条 ten, 第十二条 two, 第十三条 two (the fourteen 专项类 items announced with
    // the standard, split as the 2017 predecessor split them: not read item by item); 第十四条 none (read)
    expect(CATALOGUE_ARTICLES.map((a) => [a.label, a.publishedItemCount])).toEqual([
      ['第三条', 3],
      ['第四条', null], // (一)–(四) read; where the article ends was not
      ['第五条', null], // not read in the full text
      ['第十一条', 10],
      ['第十二条', 2],
      ['第十三条', 2],
      ['第十四条', 0],
    ]);
    expect([3, 4, 5, 11, 12, 13].map((a) => numbers(a).length)).toEqual([3, 9, 10, 10, 2, 2]);
    expect(numbers(14)).toEqual([null]);
  });

  it('only what was read in a faithful copy of the published text is marked verified', () => {
    const verified = CATALOGUE_ITEMS.filter((i) => i.verified).map((i) => i.label);
    expect(verified).toEqual(['第三条(一)', '第三条(二)', '第三条(三)', '第四条(一)', '第四条(二)', '第四条(三)', '第四条(四)', '第十一条(一)', '第十一条(二)', '第十一条(三)', '第十一条(四)', '第十一条(五)', '第十四条']);
  });

  it('第五条: the seven items an aluminium-processing checklist quotes come in its order (应急水源 … 钢丝绳), numbers inside 第五条 unchecked', () => {
    // the checklist ("铝加工企业重大事故隐患判定", a secondary source) numbers them (一)–(七) on its own
    const order = ['应急水源', '水冷元件', '结晶器', '液位监测报警', '紧急排放阀', '倾动式浇铸炉', '钢丝绳'];
    const items = CATALOGUE_ITEMS.filter((i) => i.article === 5 && i.item !== null && i.item >= 4);
    expect(items.map((i) => order.findIndex((w) => i.title.includes(w)))).toEqual([0, 1, 2, 3, 4, 5, 6]);
    for (const i of CATALOGUE_ITEMS.filter((x) => x.article === 5)) expect(i.verified).toBe(false);
  });

  it('the deep-well casting items apply to aluminum casting only', () => {
    const casting = CATALOGUE_ITEMS.filter((i) => i.title.includes('深井铸造'));
    expect(casting.length).toBe(5);
    for (const i of casting) expect(i.categories).toEqual(['aluminum_casting']);
  });

  it('chinese numerals and labels', () => {
    expect([1, 10, 11, 14, 20].map(chineseNumeral)).toEqual(['一', '十', '十一', '十四', '二十']);
    expect(catalogueLabel(4, 6)).toBe('第四条(六)');
  });

  it('itemsForCategories: general clauses always, category items by category', () => {
    const wood = itemsForCategories(['wood_dust']);
    expect(wood.some((i) => i.article === 3)).toBe(true);
    expect(wood.some((i) => i.article === 11 && i.item === 6)).toBe(true);
    expect(wood.some((i) => i.article === 11 && i.item === 9)).toBe(false); // 遇湿自燃金属粉尘
    expect(wood.some((i) => i.article === 4)).toBe(false);
  });

  it('hazardCategories: the item categories the enterprise has; all of its own for a general item', () => {
    const item = findCatalogueItem(11, 6)!;
    expect(hazardCategories(item, ['wood_dust', 'steel'])).toEqual(['wood_dust']);
    expect(hazardCategories(findCatalogueItem(3, 1)!, ['steel', 'confined_space', 'bogus'])).toEqual(['steel', 'confined_space']);
  });
});
