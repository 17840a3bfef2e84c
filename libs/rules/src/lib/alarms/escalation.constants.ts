import type { Tier } from '@sw/sensors';

/** Who gets notified (docs/domain.md, "Escalation and notification"). */
export type Recipient = 'safety_officer' | 'principal' | 'district_duty_officer' | 'city_duty_officer';

/** How: SMS, or WeChat (WeCom robot or Official Account). The console shows every alarm anyway. */
export type Channel = 'sms' | 'wechat';

/** One recipient and the channels to try, in order (a failed channel falls back to the next). */
export interface NotifyTarget {
  recipient: Recipient;
  channels: readonly Channel[];
}

/** What happens for one tier while an alarm stays unacknowledged. */
export interface TierEscalation {
  /** Notified at once when the alarm is raised (or reactivated, or its tier rises). */
  notify: readonly NotifyTarget[];
  /** Notify everyone notified so far again every so many seconds; null = never. */
  repeatEveryS: number | null;
  /** Escalation steps: step i raises `escalationLevel` to i + 1 `afterS` seconds into the run. */
  steps: readonly { afterS: number; notify: readonly NotifyTarget[] }[];
}

/** Per-tier escalation, plus whether a cleared (but unacknowledged) alarm stops escalating. */
export interface EscalationPolicy {
  tiers: Readonly<Record<Tier, TierEscalation>>;
  stopWhenCleared: boolean;
}

const SMS_WECHAT: readonly Channel[] = ['sms', 'wechat'];

const TIERS: Record<Tier, TierEscalation> = {
  red: {
    notify: [
      { recipient: 'safety_officer', channels: SMS_WECHAT },
      { recipient: 'principal', channels: SMS_WECHAT },
      { recipient: 'district_duty_officer', channels: ['sms'] },
    ],
    repeatEveryS: 600, // 10 min
    steps: [{ afterS: 900, notify: [{ recipient: 'city_duty_officer', channels: ['sms'] }] }], // 15 min
  },
  orange: {
    notify: [{ recipient: 'safety_officer', channels: SMS_WECHAT }],
    repeatEveryS: null,
    steps: [
      {
        afterS: 900, // 15 min
        notify: [
          { recipient: 'principal', channels: SMS_WECHAT },
          { recipient: 'district_duty_officer', channels: ['sms'] },
        ],
      },
    ],
  },
  yellow: { notify: [{ recipient: 'safety_officer', channels: ['wechat'] }], repeatEveryS: null, steps: [] },
  blue: { notify: [], repeatEveryS: null, steps: [] }, // console only: the live feed shows it
};

/**
 * docs/domain.md defaults (configurable per region): red — at once SMS + WeChat to the safety officer
 * and principal, SMS to the district duty officer; every 10 min again; after 15 min the city duty
 * officer. orange — SMS + WeChat to the safety officer; after 15 min principal and district duty
 * officer. yellow — WeChat to the safety officer. blue — console only. The channels of escalation
 * recipients are not in docs/domain.md: SMS as for the district duty officer (principal: SMS + WeChat).
 */
export const DEFAULT_ESCALATION_POLICY: EscalationPolicy = Object.freeze({ stopWhenCleared: true, tiers: Object.freeze(TIERS) });
