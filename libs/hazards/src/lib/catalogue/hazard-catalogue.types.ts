/**
 * The platform's risk categories (the codes of an enterprise's `riskCategories`). Repeated here
 * because this lib is pure and the list lives with the enterprise entity; the hazards REST spec
 * checks the two lists are equal.
 */
export const RISK_CATEGORY_CODES = [
  'steel',
  'aluminum_casting',
  'metal_dust',
  'wood_dust',
  'other_dust',
  'ammonia_refrigeration',
  'confined_space',
] as const;
export type RiskCategoryCode = (typeof RISK_CATEGORY_CODES)[number];

/** The risk categories as the district plan names them (the report's and the console's words; the ledger files have their own). */
export const RISK_CATEGORY_NAMES: Readonly<Record<RiskCategoryCode, string>> = {
  steel: '钢铁',
  aluminum_casting: '铝加工（深井铸造）',
  metal_dust: '金属粉尘',
  wood_dust: '木粉尘',
  other_dust: '其他粉尘',
  ammonia_refrigeration: '涉氨制冷',
  confined_space: '有限空间',
};

/** One article (条) of 《工贸企业重大事故隐患判定标准》 the platform serves. */
export interface CatalogueArticle {
  /** 条 number: 3 is 第三条. */
  article: number;
  /** e.g. 第十一条 */
  label: string;
  /** Whom the article addresses, in our words (e.g. 粉尘涉爆). */
  scope: string;
  /** Risk categories the article applies to; `all` for the general clauses. */
  categories: readonly RiskCategoryCode[] | 'all';
  /**
   * Items (项) the article has in the published text, when that count was checked; null when it
   * could not be (see the lib README).
   */
  publishedItemCount: number | null;
}

/** One item (项) of an article: what a hazard names as its 判定依据. */
export interface CatalogueItem {
  article: number;
  /** 项 number: 6 is (六); null for an article without items (第十四条). */
  item: number | null;
  /** e.g. 第四条(六) */
  label: string;
  /** A short title in our own words, not the published wording. */
  title: string;
  categories: readonly RiskCategoryCode[] | 'all';
  /**
   * True when this article/item number was checked against the published text the README cites;
   * false when it rests on a secondary source or memory and still needs checking.
   */
  verified: boolean;
}
