/** The console's Chinese words for the API's machine values. */
export const STATUS_LABELS: Readonly<Record<string, string>> = {
  awaiting_materials: '待补齐材料',
  in_review: '审查中',
  suspended: '中止计时',
  deciding: '汇总决定',
  negative_review: '否定报备',
  awaiting_payment: '待缴费',
  completed: '已办结',
  rejected: '不予许可',
  refused: '不予受理',
  withdrawn: '已撤回',
  terminated: '已终止',
  revoked: '已撤销',
};

/** Solid tag colours dark enough for white text (WCAG AA), one per status family. */
const TAG = {
  blue: '#1557b0',
  green: '#237804',
  gold: '#8f5600', // 6:1 under white text (#ad6800 was 4.4:1, below WCAG AA)
  orange: '#ad4e00',
  red: '#a8071a',
  purple: '#531dab',
  magenta: '#9e1068',
  grey: '#595959',
};

export const STATUS_COLORS: Readonly<Record<string, string>> = {
  awaiting_materials: TAG.orange,
  in_review: TAG.blue,
  suspended: TAG.gold,
  deciding: TAG.purple,
  negative_review: TAG.magenta,
  awaiting_payment: TAG.gold,
  completed: TAG.green,
  rejected: TAG.red,
  refused: TAG.grey,
  withdrawn: TAG.grey,
  terminated: TAG.grey,
  revoked: TAG.red,
};

export const VERDICT_LABELS: Readonly<Record<string, string>> = {
  approve: '同意',
  approve_with_conditions: '附条件同意',
  reject: '不予许可',
  request_supplement: '要求补正',
};

export const TASK_STATUS_LABELS: Readonly<Record<string, string>> = {
  pending: '待审查',
  given: '已提出意见',
  deemed: '视为同意',
  cancelled: '已取消',
};

export const ROLE_LABELS: Readonly<Record<string, string>> = {
  window: '综合窗口',
  department: '审批部门',
  supervisor: '效能监察',
  admin: '系统管理员',
  system: '系统',
};

export const MEETING_KINDS: Readonly<Record<string, string>> = {
  site_inspection: '联合踏勘',
  review_meeting: '联审会议',
};

export const SUSPENSION_KINDS: Readonly<Record<string, string>> = {
  supplement: '补正材料',
  special_procedure: '特别程序',
};

export const ALERT_LABELS: Readonly<Record<string, string>> = { none: '正常', yellow: '黄牌预警', red: '红牌超期' };
export const ALERT_COLORS: Readonly<Record<string, string>> = { none: TAG.green, yellow: TAG.gold, red: TAG.red };
export const TAG_COLORS = TAG;

export const label = (map: Readonly<Record<string, string>>, value: string | null | undefined) =>
  value ? (map[value] ?? value) : '—';

const SHANGHAI = 'Asia/Shanghai';
const monthDayTime = new Intl.DateTimeFormat('zh-CN', {
  timeZone: SHANGHAI,
  month: 'numeric',
  day: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  hour12: false,
});
const fullDateTime = new Intl.DateTimeFormat('zh-CN', {
  timeZone: SHANGHAI,
  year: 'numeric',
  month: 'numeric',
  day: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  hour12: false,
});

function parts(format: Intl.DateTimeFormat, iso: string): Record<string, string> {
  return Object.fromEntries(format.formatToParts(new Date(iso)).map((p) => [p.type, p.value]));
}

/** "12月1日 09:30" in Shanghai time. */
export function shortTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  const p = parts(monthDayTime, iso);
  return `${p.month}月${p.day}日 ${p.hour}:${p.minute}`;
}

/** "2026年12月1日 09:30" in Shanghai time. */
export function fullTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  const p = parts(fullDateTime, iso);
  return `${p.year}年${p.month}月${p.day}日 ${p.hour}:${p.minute}`;
}

/** Fen → "¥1,234.50". */
export const yuan = (cents: number) =>
  `¥${(cents / 100).toLocaleString('zh-CN', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;

/** 告知承诺制: the verifying department's finding. */
export const VERIFICATION_OUTCOMES: Readonly<Record<string, string>> = {
  confirmed: '承诺属实',
  false_commitment: '虚假承诺（撤销审批）',
};

/** 好差评 (GB/T 39734-2020): five levels. */
export const RATING_LEVELS: Readonly<Record<number, string>> = {
  5: '非常满意',
  4: '满意',
  3: '基本满意',
  2: '不满意',
  1: '非常不满意',
};
