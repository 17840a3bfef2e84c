/**
 * The demo district's hazard register (issue 12): one hazard in each state of the life, from each
 * source a user can record, and one public report — so the console shows the closed loop on first
 * start. Each is recorded and moved through the api's REST endpoints by the users who would do it
 * (`duty`: a regulator of 3205, `safety`: the steel works' safety officer, `admin`), so every step
 * is an audited event like any other. Matched on re-run by enterprise and description.
 */

/** Who acts: the demo's regulator, the steel works' enterprise user, or the admin. */
export type DemoActor = 'duty' | 'safety' | 'admin';

export type DemoStep =
  | { as: DemoActor; action: 'confirm' }
  | { as: DemoActor; action: 'plan'; measures: string; responsible: string; funds: number | null; /** deadline: days ahead */ days: number }
  /** a deadline seconds ahead, waited out: the hazard is overdue when the command ends */
  | { as: DemoActor; action: 'plan-overdue'; measures: string; responsible: string; seconds: number }
  | { as: DemoActor; action: 'submit'; text: string }
  | { as: DemoActor; action: 'return'; reason: string }
  | { as: DemoActor; action: 'sign-off' };

export interface DemoHazard {
  /** the enterprise's serial in DEMO_DISTRICT */
  serial: number;
  source: 'self_check' | 'inspection' | 'regulator';
  by: DemoActor;
  article: number;
  item: number | null;
  description: string;
  location: string;
  steps: DemoStep[];
  /** the state it ends in (checked by the spec against the steps) */
  ends: 'reported' | 'confirmed' | 'rectifying' | 'submitted' | 'signed_off';
  overdue?: boolean;
}

/** The demo's users besides the admin; their passwords come from the environment (.demo/secrets.env). */
export const DEMO_USERS = {
  duty: { username: 'demo.duty', role: 'regulator' as const, regionCode: '3205', passwordEnv: 'DEMO_DUTY_PASSWORD' },
  safety: { username: 'demo.safety', role: 'enterprise' as const, serial: 10501, passwordEnv: 'DEMO_SAFETY_PASSWORD' },
};

export const DEMO_HAZARDS: readonly DemoHazard[] = [
  {
    serial: 10501,
    source: 'self_check',
    by: 'safety',
    article: 4,
    item: 2,
    description: '（演示）2号连铸机事故钢水罐坑内有积水',
    location: '炼钢厂连铸跨',
    steps: [],
    ends: 'reported',
  },
  {
    serial: 10601,
    source: 'inspection',
    by: 'duty',
    article: 5,
    item: 6,
    description: '（演示）3号深井铸造机结晶器冷却水进水压力监测未与快速切断阀联锁',
    location: '熔铸车间3号铸造井',
    steps: [{ as: 'duty', action: 'confirm' }],
    ends: 'confirmed',
  },
  {
    serial: 10701,
    source: 'regulator',
    by: 'duty',
    article: 11,
    item: 6,
    description: '（演示）抛光线铝镁粉尘干式除尘器未设锁气卸灰装置',
    location: '抛光车间除尘器',
    steps: [
      { as: 'duty', action: 'confirm' },
      { as: 'admin', action: 'plan', measures: '除尘器灰斗加装星型锁气卸灰阀并定期清灰', responsible: '设备部 陈工', funds: 26000, days: 30 },
    ],
    ends: 'rectifying',
  },
  {
    serial: 10503,
    source: 'inspection',
    by: 'duty',
    article: 12,
    item: 1,
    description: '（演示）分割包装间空调采用氨直接蒸发制冷',
    location: '冷库分割包装间',
    steps: [
      { as: 'duty', action: 'confirm' },
      { as: 'admin', action: 'plan', measures: '分割包装间改为乙二醇载冷间接制冷，拆除氨蒸发排管', responsible: '工程部 周经理', funds: 180000, days: 45 },
      { as: 'admin', action: 'submit', text: '已完成载冷剂改造并试运行72小时，氨管线已拆除封堵' },
    ],
    ends: 'submitted',
  },
  {
    serial: 10501,
    source: 'self_check',
    by: 'safety',
    article: 4,
    item: 6,
    description: '（演示）转炉煤气柜附近操作室未设固定式一氧化碳监测报警',
    location: '煤气柜区操作室',
    steps: [
      { as: 'duty', action: 'confirm' },
      { as: 'safety', action: 'plan', measures: '操作室及煤气柜周边加装固定式一氧化碳检测报警仪并接入值班室', responsible: '能源中心 李工', funds: 42000, days: 15 },
      { as: 'safety', action: 'submit', text: '已安装4台一氧化碳检测报警仪' },
      { as: 'duty', action: 'return', reason: '报警信号未接入24小时值班室，请补充联调记录' },
      { as: 'safety', action: 'submit', text: '报警信号已接入能源中心值班室，附联调记录' },
      { as: 'admin', action: 'sign-off' },
    ],
    ends: 'signed_off',
  },
  {
    serial: 10602,
    source: 'regulator',
    by: 'duty',
    article: 11,
    item: 8,
    description: '（演示）砂光机风管未设火花探测消除装置，整改已逾期',
    location: '砂光车间',
    steps: [
      { as: 'duty', action: 'confirm' },
      { as: 'admin', action: 'plan-overdue', measures: '砂光风管加装火花探测及自动熄灭装置', responsible: '生产部 吴主任', seconds: 3 },
    ],
    ends: 'rectifying',
    overdue: true,
  },
];

/** The public report (举报) of the demo: waits in the bureau's triage queue. */
export const DEMO_PUBLIC_REPORT = {
  enterpriseName: '苏州浒通金属抛光有限公司',
  description: '（演示）抛光车间粉尘很大，除尘器旁边堆着纸箱，晚上有人在车间里抽烟',
};
