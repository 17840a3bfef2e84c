// A refusal of the hazard and 举报 endpoints in Chinese: the API answers a machine-readable `code`
// with an English reason; the console shows the trade's words.
import { ApiError } from '../api/http.client';

const BY_CODE: Record<string, string> = {
  same_confirmer: '销号须由确认该隐患以外的监管人员办理',
  invalid_state: '该隐患当前状态不允许此操作（可能已被他人处理），请刷新后重试',
  forbidden_role: '您的角色无权执行此操作',
  not_own_enterprise: '只能处理本企业的隐患',
  not_found: '未找到该隐患（或不在您的管辖范围内）',
  duplicate: '该报警已登记过隐患',
  alarm_not_real_hazard: '只有处置原因为“真实隐患”的报警才能登记隐患',
  unsupported_type: '只接受 JPEG、PNG 或 WebP 照片',
  corrupt_image: '照片文件已损坏，无法读取',
  report_closed: '该举报已办结',
  no_enterprise: '请先指定举报涉及的企业',
  rate_limited: '操作过于频繁，请稍后再试',
};

/** Known reasons of `invalid_input` (libs/hazards life rule and the DTOs), matched by their words. */
const BY_REASON: [RegExp, string][] = [
  [/deadline must lie in the future/i, '整改期限须晚于当前时间'],
  [/measures and a responsible/i, '整改方案须填写整改措施和责任人'],
  [/at most \d+ photos/i, '每次最多上传 9 张照片'],
  [/catalogue has no article/i, '判定依据不在判定标准目录中'],
  [/not a point of enterprise/i, '监测点不属于该企业'],
  [/funds/i, '整改资金不能为负数'],
  [/takes a reason|(^|；)reason:/i, '请填写理由'],
  [/evidence takes a text|(^|；)text:/i, '请填写整改情况说明'],
  [/(^|；)measures:/i, '请填写整改措施'],
  [/(^|；)responsible:/i, '请填写整改责任人'],
  [/(^|；)deadline:|takes a deadline/i, '请填写整改期限'],
  [/description is required|(^|；)description:/i, '请填写隐患描述'],
  [/(^|；)reply:/i, '请填写给举报人的答复'],
  [/(^|；)note:/i, '请填写核查情况'],
  [/(^|；)(article|item):|takes article and item/i, '请选择判定依据'],
  [/(^|；)(amount|reward):/i, '奖励金额须为不小于 0 的数'],
];

const BY_STATUS: Record<number, string> = {
  0: '无法连接服务器，请检查网络',
  401: '登录已失效，请重新登录',
  403: '您的角色无权执行此操作',
  404: '未找到（或不在您的管辖范围内）',
  409: '当前状态不允许此操作，请刷新后重试',
  413: '照片超过 5 MB，请压缩后再上传',
  429: '操作过于频繁，请稍后再试',
};

/** The Chinese text of an error thrown by HttpClient (or anything else). */
export function refusalText(err: unknown): string {
  if (!(err instanceof ApiError)) return err instanceof Error ? err.message : String(err);
  if (err.code && BY_CODE[err.code]) return BY_CODE[err.code] as string;
  if (err.status === 400) {
    for (const [re, zh] of BY_REASON) if (re.test(err.message)) return zh;
    // a message already in Chinese (the public endpoints answer Chinese first) is shown as it is
    return /[\u4e00-\u9fff]/.test(err.message) ? err.message : '填写的内容不符合要求，请检查后重试';
  }
  return BY_STATUS[err.status] ?? `服务器错误（${err.status}）`;
}
