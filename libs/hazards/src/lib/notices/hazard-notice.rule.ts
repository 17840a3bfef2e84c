import { catalogueLabel } from '../catalogue/hazard-catalogue.constants';
import type { HazardSnapshot } from '../life/hazard.types';

const DAY_MS = 86_400_000;

/**
 * Who is told of a hazard (docs/domain.md "The closed loop"): on confirmation the enterprise's
 * 主要负责人 (principal), 实际控制人 (actual_controller) and the 行业管理部门 contact
 * (industry_department); a hazard overdue by a day escalates to the district duty officer, daily.
 */
export const HAZARD_CONFIRM_RECIPIENTS = ['principal', 'actual_controller', 'industry_department'] as const;
export type HazardNoticeRecipient = (typeof HAZARD_CONFIRM_RECIPIENTS)[number] | 'district_duty_officer';

export type HazardNoticeOccasion = 'confirmed' | 'overdue';

/**
 * Whole days a hazard is past its deadline at `now` (0 before or within the first day); null
 * when it cannot be overdue (no plan yet, signed off or rejected). Day 1 is the first escalation.
 */
export function overdueDays(h: Pick<HazardSnapshot, 'status' | 'plan'>, now: number): number | null {
  if (h.status === 'signed_off' || h.status === 'rejected' || !h.plan) return null;
  const past = now - Date.parse(h.plan.deadline);
  return past <= 0 ? 0 : Math.floor(past / DAY_MS);
}

/**
 * The outbox dedup key of one notice: once per hazard, occasion (and overdue day), person and
 * channel, so a replayed confirmation or a second sweep on the same day queues nothing new.
 */
export function hazardNoticeKey(hazardId: string, occasion: HazardNoticeOccasion, day: number | null, personRef: string, channel: string): string {
  const what = occasion === 'overdue' ? `overdue:d${day ?? 0}` : occasion;
  return `hazard:${hazardId}:${what}:${personRef}:${channel}`;
}

/** `2026-11-28 20:00:00` in Asia/Shanghai. */
export function shanghaiDateTime(at: string | number): string {
  return new Date(at).toLocaleString('sv-SE', { timeZone: 'Asia/Shanghai', hour12: false });
}

export interface RenderedHazardNotice {
  title: string;
  body: string;
  /** Console path of the hazard; the sender puts its console base URL in front. */
  link: string;
  /** SMS and Official Account template params (the same names as an alarm's). */
  params: Record<string, string>;
}

/** The Chinese text of a hazard notice: enterprise, 判定依据, description, deadline or days overdue. */
export function renderHazardNotice(h: HazardSnapshot, occasion: HazardNoticeOccasion, enterpriseName: string, at: string | number, day: number | null = null): RenderedHazardNotice {
  const basis = catalogueLabel(h.article, h.item);
  const title = occasion === 'confirmed' ? `【重大事故隐患确认】${enterpriseName}` : `【重大事故隐患逾期${day ?? 0}天】${enterpriseName}`;
  const deadline = h.plan ? shanghaiDateTime(h.plan.deadline) : '待制定整改方案';
  const lines = [`判定依据：${basis}`, `隐患：${h.description}`, `整改期限：${deadline}`, `时间：${shanghaiDateTime(at)}`];
  if (occasion === 'overdue') lines.splice(3, 0, `已逾期：${day ?? 0}天，未销号`);
  const tier = occasion === 'confirmed' ? '重大事故隐患' : `隐患逾期${day ?? 0}天`;
  return {
    title,
    body: lines.join('\n'),
    link: `/#/hazards/${h.id}`,
    params: { enterprise: enterpriseName, point: basis, value: h.description.slice(0, 20), tier, time: shanghaiDateTime(at) },
  };
}
