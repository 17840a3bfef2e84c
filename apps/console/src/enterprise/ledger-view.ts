// The enterprise page's ledger (基础信息台账) as labelled groups of rows, in the trade's words.
import type { EnterpriseDetail } from '../api/api.types';
import { CATEGORY_LABEL } from '../shared/labels';
import { COORD_LABEL, FURNACE_LABEL, GAS_LABEL, GRADE_LABEL, INDUSTRY_LABEL, SCALE_LABEL, STATUS_LABEL } from '../shared/ledger-labels';

export interface LedgerGroup {
  title: string;
  rows: [label: string, text: string][];
}

const NONE = '—';
const or = (v: string | number | null | undefined) => (v === null || v === undefined || v === '' ? NONE : String(v));
const person = (name: string | null, phone: string | null) => (name ? (phone ? `${name}（${phone}）` : name) : NONE);
const list = (xs: readonly string[]) => (xs.length > 0 ? xs.join('、') : NONE);

/** The flags the plan names that are set, as one line each. */
export function flagLines(e: EnterpriseDetail): string[] {
  const f = e.processFlags;
  return [
    f.deepWellCasting && `深井铸造${f.castingFurnace ? `（${FURNACE_LABEL[f.castingFurnace]}浇铸炉）` : ''}`,
    f.wireRopeCaster && '钢丝绳铸造机',
    f.ammoniaRefrigeration && `液氨制冷${f.ammoniaChargeKg !== null ? `（存量 ${f.ammoniaChargeKg} kg）` : ''}`,
    f.chlorine && '涉氯',
    f.confinedSpace && `有限空间${f.confinedSpaceGases.length > 0 ? `（${f.confinedSpaceGases.map((g) => GAS_LABEL[g]).join('、')}）` : ''}`,
    f.hazardousChemicals && '使用危险化学品',
    f.liquor && '酒类生产',
    f.tobaccoFumigation && '烟草熏蒸',
    f.spraying && '喷涂作业',
    f.silo && '筒仓',
  ].filter((x): x is string => typeof x === 'string');
}

/** 标准化: the grade and whether it holds on `today`. */
export function standardizationText(e: EnterpriseDetail, today: string): string {
  if (!e.standardizationGrade) return NONE;
  const grade = GRADE_LABEL[e.standardizationGrade];
  if (e.standardizationRevokedOn && e.standardizationRevokedOn <= today) return `${grade}（${e.standardizationRevokedOn} 已撤销）`;
  if (e.standardizationValidUntil && e.standardizationValidUntil < today) return `${grade}（有效期至 ${e.standardizationValidUntil}，已过期）`;
  return e.standardizationValidUntil ? `${grade}（有效期至 ${e.standardizationValidUntil}）` : grade;
}

export function ledgerGroups(e: EnterpriseDetail, today: string): LedgerGroup[] {
  const coords = e.longitude !== null && e.latitude !== null ? `${e.longitude}, ${e.latitude}（${e.coordSystem ? COORD_LABEL[e.coordSystem] : ''}）` : NONE;
  const since = e.statusHistory.filter((s) => s.effectiveDate <= today).at(-1);
  return [
    {
      title: '基本信息',
      rows: [
        ['统一社会信用代码', e.uscc],
        ['行政区划', e.regionCode],
        ['风险类别', e.riskCategories.map((c) => CATEGORY_LABEL[c]).join('、')],
        ['所属行业', e.industry ? INDUSTRY_LABEL[e.industry] : NONE],
        ['企业规模', e.scale ? SCALE_LABEL[e.scale] : NONE],
        ['经营状态', `${STATUS_LABEL[e.status]}${since ? `（${since.effectiveDate} 起${since.reason ? `，${since.reason}` : ''}）` : ''}`],
        ['从业人数', or(e.employees)],
        ['行业管理部门', or(e.industryDepartment)],
        ['详细地址', or(e.address)],
        ['经纬度', coords],
      ],
    },
    {
      title: '负责人',
      rows: [
        ['主要负责人', person(e.principalName, e.principalPhone)],
        ['实际控制人', person(e.actualControllerName, e.actualControllerPhone)],
        ['安全管理人员', person(e.safetyOfficerName, e.safetyOfficerPhone)],
      ],
    },
    {
      title: '工艺与设备',
      rows: [
        ['主要生产工艺', list(e.processes)],
        ['关键设备', list(e.keyEquipment)],
        ['重点工艺与设备', list(flagLines(e))],
      ],
    },
    {
      title: '粉尘',
      rows: [
        ['粉尘种类', list(e.dustKinds)],
        ['涉粉作业人数', e.dustWorkers === null ? (e.riskCategories.some((c) => c.endsWith('_dust')) ? '未填报（数据缺口）' : NONE) : String(e.dustWorkers)],
      ],
    },
    { title: '标准化', rows: [['安全生产标准化', standardizationText(e, today)]] },
    {
      title: '三同时',
      rows:
        e.threeSimultaneity.length === 0
          ? [['建设项目', NONE]]
          : e.threeSimultaneity.map((p) => [p.name, `设计 ${or(p.designedOn)} · 审查 ${or(p.reviewedOn)} · 验收 ${or(p.acceptedOn)}`]),
    },
  ];
}
