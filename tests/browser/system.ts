/** What the browser tests share with the system global-setup started (through the environment). */
export const DEMO_DAY_MS = 6000;

export function baseUrl(): string {
  const url = process.env.BROWSER_BASE_URL;
  if (!url) throw new Error('BROWSER_BASE_URL is not set: run through tests/browser/playwright.config.ts');
  return url;
}

export const DEPARTMENTS = [
  { code: 'WIN', name: '政务服务中心综合窗口' },
  { code: 'PLAN', name: '自然资源和规划局' },
  { code: 'FIRE', name: '消防救援支队' },
  { code: 'ENV', name: '生态环境局' },
];

/** The whole-case matter: three departments, fees for two, limits long enough for a whole case. */
export const BUILD = {
  code: 'BUILD',
  body: {
    name: '建设工程规划许可',
    leadDept: 'PLAN',
    coDepts: ['FIRE', 'ENV'],
    requiredMaterials: [
      { code: 'app', name: '建设工程规划许可申请表' },
      { code: 'licence', name: '营业执照' },
      { code: 'plan', name: '建设工程设计方案图纸' },
      { code: 'fire', name: '消防设计文件' },
    ],
    timeLimitDays: 60,
    deptReviewDays: 30,
    silencePolicy: 'deemed_approve',
    fees: [
      { dept: 'FIRE', item: '消防设计审查费', maxAmountCents: 50000 },
      { dept: 'PLAN', item: '规划技术服务费', maxAmountCents: 120000 },
    ],
  },
};

/** A matter whose departments have one (demo) working day: their silence is deemed consent quickly. */
export const QUICK = {
  code: 'QUICK',
  body: {
    name: '临时占用道路许可',
    leadDept: 'PLAN',
    coDepts: ['FIRE'],
    requiredMaterials: [{ code: 'app', name: '占道申请表' }],
    timeLimitDays: 10,
    deptReviewDays: 1,
    silencePolicy: 'deemed_approve',
    fees: [],
  },
};
