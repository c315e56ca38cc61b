import type { CaseStage, PreparedCase } from './cases';
import type { MatterSetup } from './http';

/** The calendar year the route table writes; test files delete it from `calendar_years` when done. */
export const CALENDAR_TEST_YEAR = 2100;

/**
 * Every route of the API (api.md) with a real call: the state its case must be in, a valid body,
 * and who may make it. Used by the authorization matrix and by the error tests.
 */
export type Role = 'window' | 'lead' | 'co' | 'foreign' | 'supervisor' | 'admin' | 'none' | 'bad' | 'expired';
export const ROLES: Role[] = ['window', 'lead', 'co', 'foreign', 'supervisor', 'admin', 'none', 'bad', 'expired'];
export type StaffRole = Exclude<Role, 'none' | 'bad' | 'expired'>;
export const STAFF: StaffRole[] = ['window', 'lead', 'co', 'foreign', 'supervisor', 'admin'];

export interface Ctx {
  m: MatterSetup;
  suffix: string;
  foreign: string;
  /** A saved view of each staff role's own, for the routes that change or delete one. */
  views: Record<StaffRole, string>;
}

export interface Route {
  /** Method and OpenAPI path, as /openapi.json lists it (the matrix checks it covers them all). */
  route: string;
  /** Distinguishes two rows of one route (e.g. a query naming another department). */
  variant?: string;
  /** The state a case must be in for the call to be real; none when the route needs no case. */
  stage?: CaseStage;
  /** Changes the case: every allowed call gets a fresh case of `stage`. */
  mutates?: boolean;
  url: (ctx: Ctx, c: PreparedCase | undefined, role: Role) => string;
  body?: (ctx: Ctx, c: PreparedCase | undefined, role: Role) => unknown;
  /** Roles allowed; the public routes allow everyone, token or not. */
  allow: StaffRole[] | 'everyone';
  /** The 403 code for a refused staff role (default `forbidden_role`). */
  refusedAs?: Partial<Record<StaffRole, string>>;
  ok: number;
  /** An event stream: the matrix reads its status and headers only. */
  stream?: boolean;
  /** The problem code when `ok` is itself a refusal every allowed role gets (e.g. 404 for an unknown id). */
  okCode?: string;
}

const ALL_STAFF: StaffRole[] = STAFF;
const c_ = (c: PreparedCase | undefined) => c!.caseNo;

export const ROUTES: Route[] = [
  // ------------------------------------------------------------ public
  { route: 'GET /health', url: () => '/health', allow: 'everyone', ok: 200 },
  { route: 'GET /metrics', url: () => '/metrics', allow: 'everyone', ok: 200 },
  { route: 'GET /openapi.json', url: () => '/openapi.json', allow: 'everyone', ok: 200 },
  { route: 'GET /docs', url: () => '/docs', allow: 'everyone', ok: 200 },
  {
    route: 'GET /api/public/cases/{caseNo}',
    stage: 'in_review',
    url: (_x, c) => `/api/public/cases/${c_(c)}?code=${c!.queryCode}`,
    allow: 'everyone',
    ok: 200,
  },
  { route: 'GET /api/public/sign-in-options', url: () => '/api/public/sign-in-options', allow: 'everyone', ok: 200 },
  // ------------------------------------------------------------ catalog and calendar
  {
    route: 'PUT /api/departments/{code}',
    url: (x) => `/api/departments/AZ${x.suffix}`,
    body: () => ({ name: '矩阵测试部门' }),
    allow: ['admin'],
    ok: 200,
  },
  { route: 'GET /api/departments', url: () => '/api/departments', allow: ALL_STAFF, ok: 200 },
  {
    route: 'PUT /api/matters/{code}',
    url: (x) => `/api/matters/MZ${x.suffix}`,
    body: (x) => ({
      name: '矩阵事项',
      leadDept: x.m.lead,
      coDepts: x.m.co,
      requiredMaterials: x.m.materials,
      timeLimitDays: 10,
      silencePolicy: 'escalate_only',
      fees: [],
    }),
    allow: ['admin'],
    ok: 200,
  },
  { route: 'GET /api/matters', url: () => '/api/matters', allow: ALL_STAFF, ok: 200 },
  { route: 'GET /api/matters/{code}', url: (x) => `/api/matters/${x.m.matterCode}`, allow: ALL_STAFF, ok: 200 },
  {
    // A year no test counts with; whoever writes it deletes it afterwards (see CALENDAR_TEST_YEAR).
    route: 'PUT /api/calendar/{year}',
    url: () => `/api/calendar/${CALENDAR_TEST_YEAR}`,
    body: () => ({ holidays: [`${CALENDAR_TEST_YEAR}-01-01`], workdays: [] }),
    allow: ['admin'],
    ok: 200,
  },
  { route: 'GET /api/calendar', url: () => '/api/calendar', allow: ALL_STAFF, ok: 200 },
  {
    // No such republication: every staff member may ask, and is told it is unknown.
    route: 'GET /api/calendar/republications/{id}',
    url: () => '/api/calendar/republications/999999999',
    allow: ALL_STAFF,
    ok: 404,
    okCode: 'republication_not_found',
  },
  {
    route: 'GET /api/calendar/deadline',
    url: () => '/api/calendar/deadline?from=2026-09-24&workingDays=6',
    allow: ALL_STAFF,
    ok: 200,
  },
  // ------------------------------------------------------------ cases
  {
    route: 'POST /api/cases',
    url: () => '/api/cases',
    body: (x) => ({
      matterCode: x.m.matterCode,
      applicant: { name: '矩阵申请人' },
      materials: x.m.materials.map((mm) => mm.code),
    }),
    allow: ['window'],
    ok: 201,
  },
  { route: 'GET /api/cases', url: () => '/api/cases?limit=5', allow: ALL_STAFF, ok: 200 },
  {
    route: 'GET /api/cases',
    variant: 'dept=<lead>',
    url: (x) => `/api/cases?limit=5&dept=${x.m.lead}`,
    allow: ['window', 'lead', 'supervisor', 'admin'],
    refusedAs: { co: 'not_own_department', foreign: 'not_own_department' },
    ok: 200,
  },
  {
    route: 'GET /api/cases/{caseNo}',
    stage: 'in_review',
    url: (_x, c) => `/api/cases/${c_(c)}`,
    allow: ['window', 'lead', 'co', 'supervisor', 'admin'],
    refusedAs: { foreign: 'not_reviewing_department' },
    ok: 200,
  },
  {
    route: 'GET /api/cases/{caseNo}/events',
    stage: 'in_review',
    url: (_x, c) => `/api/cases/${c_(c)}/events`,
    allow: ['window', 'lead', 'co', 'supervisor', 'admin'],
    refusedAs: { foreign: 'not_reviewing_department' },
    ok: 200,
  },
  {
    route: 'POST /api/cases/{caseNo}/materials',
    stage: 'awaiting_materials',
    mutates: true,
    url: (_x, c) => `/api/cases/${c_(c)}/materials`,
    body: () => ({ materials: ['drawings'] }),
    allow: ['window'],
    ok: 200,
  },
  {
    route: 'POST /api/cases/{caseNo}/refuse',
    stage: 'awaiting_materials',
    mutates: true,
    url: (_x, c) => `/api/cases/${c_(c)}/refuse`,
    body: () => ({ reason: '不属于受理范围' }),
    allow: ['window'],
    ok: 200,
  },
  {
    route: 'POST /api/cases/{caseNo}/opinions',
    stage: 'in_review',
    mutates: true,
    url: (_x, c) => `/api/cases/${c_(c)}/opinions`,
    body: () => ({ verdict: 'approve' }),
    allow: ['lead', 'co'],
    refusedAs: { foreign: 'not_reviewing_department' },
    ok: 200,
  },
  {
    route: 'POST /api/cases/{caseNo}/supplements',
    stage: 'supplement_pending',
    mutates: true,
    url: (_x, c) => `/api/cases/${c_(c)}/supplements`,
    body: () => ({ materials: ['fire-plan'] }),
    allow: ['window'],
    ok: 200,
  },
  {
    route: 'POST /api/cases/{caseNo}/meetings',
    stage: 'in_review',
    mutates: true,
    url: (_x, c) => `/api/cases/${c_(c)}/meetings`,
    body: (x) => ({ kind: 'review_meeting', scheduledAt: '2026-12-02T14:00:00+08:00', departments: x.m.co }),
    allow: ['lead'],
    refusedAs: { co: 'not_lead_department', foreign: 'not_lead_department' },
    ok: 200,
  },
  {
    route: 'POST /api/cases/{caseNo}/meetings/{meetingId}/minutes',
    stage: 'meeting_convened',
    mutates: true,
    url: (_x, c) => `/api/cases/${c_(c)}/meetings/${c!.meetingId}/minutes`,
    body: (x) => ({ findings: [{ dept: x.m.co[0], text: '现场符合要求' }] }),
    allow: ['lead'],
    refusedAs: { co: 'not_lead_department', foreign: 'not_lead_department' },
    ok: 200,
  },
  {
    route: 'POST /api/cases/{caseNo}/special-procedures',
    stage: 'in_review',
    mutates: true,
    url: (_x, c) => `/api/cases/${c_(c)}/special-procedures`,
    body: () => ({ kind: 'hearing', reason: '听证' }),
    allow: ['lead'],
    refusedAs: { co: 'not_lead_department', foreign: 'not_lead_department' },
    ok: 200,
  },
  {
    route: 'POST /api/cases/{caseNo}/special-procedures/{procedureId}/complete',
    stage: 'procedure_started',
    mutates: true,
    url: (_x, c) => `/api/cases/${c_(c)}/special-procedures/${c!.procedureId}/complete`,
    body: () => ({ outcome: '专家同意' }),
    allow: ['lead'],
    refusedAs: { co: 'not_lead_department', foreign: 'not_lead_department' },
    ok: 200,
  },
  {
    route: 'POST /api/cases/{caseNo}/decision',
    stage: 'deciding',
    mutates: true,
    url: (_x, c) => `/api/cases/${c_(c)}/decision`,
    body: () => ({ decision: 'approve' }),
    allow: ['lead'],
    refusedAs: { co: 'not_lead_department', foreign: 'not_lead_department' },
    ok: 200,
  },
  {
    route: 'POST /api/cases/{caseNo}/negative-review',
    stage: 'negative_review',
    mutates: true,
    url: (_x, c) => `/api/cases/${c_(c)}/negative-review`,
    body: () => ({ outcome: 'confirm', note: '否定理由充分' }),
    allow: ['supervisor'],
    ok: 200,
  },
  {
    route: 'POST /api/cases/{caseNo}/payment',
    stage: 'awaiting_payment',
    mutates: true,
    url: (_x, c) => `/api/cases/${c_(c)}/payment`,
    body: (_x, c) => ({ paymentRef: `PAY-${c_(c)}`, amountCents: 12_300 }),
    allow: ['window'],
    ok: 200,
  },
  {
    route: 'POST /api/public/cases/{caseNo}/rating',
    stage: 'completed',
    mutates: true,
    url: (_x, c) => `/api/public/cases/${c_(c)}/rating?code=${c!.queryCode}`,
    body: () => ({ level: 5, dimensions: { 服务态度: 5 }, comment: '满意' }),
    allow: 'everyone',
    ok: 201,
  },
  {
    // No bad review on the case: every department is told there is nothing to remediate.
    route: 'POST /api/cases/{caseNo}/remediation',
    stage: 'completed',
    url: (_x, c) => `/api/cases/${c_(c)}/remediation`,
    body: () => ({ action: '已整改', contactedApplicant: true }),
    allow: ['lead', 'co', 'foreign'],
    ok: 409,
    okCode: 'no_open_remediation',
  },
  {
    route: 'POST /api/cases/{caseNo}/remediation/reassign',
    stage: 'completed',
    url: (_x, c) => `/api/cases/${c_(c)}/remediation/reassign`,
    body: (x) => ({ dept: x.m.lead }),
    allow: ['supervisor'],
    ok: 409,
    okCode: 'no_open_remediation',
  },
  {
    route: 'GET /api/remediations',
    url: () => '/api/remediations?state=open',
    allow: ['lead', 'co', 'foreign', 'supervisor'],
    ok: 200,
  },
  {
    // A completed case with no commitments: the lead (the verifying department) is told there is nothing to verify.
    route: 'POST /api/cases/{caseNo}/verification',
    stage: 'completed',
    url: (_x, c) => `/api/cases/${c_(c)}/verification`,
    body: () => ({ outcome: 'confirmed', note: '核查属实' }),
    allow: ['lead'],
    refusedAs: { co: 'not_verifying_department', foreign: 'not_verifying_department' },
    ok: 409,
    okCode: 'no_verification_pending',
  },
  {
    route: 'POST /api/cases/{caseNo}/urge',
    stage: 'in_review',
    mutates: true,
    url: (_x, c) => `/api/cases/${c_(c)}/urge`,
    body: () => ({ message: '请加快办理' }),
    allow: ['supervisor'],
    ok: 200,
  },
  {
    route: 'POST /api/cases/{caseNo}/extension',
    stage: 'in_review',
    mutates: true,
    url: (_x, c) => `/api/cases/${c_(c)}/extension`,
    body: () => ({ workingDays: 2, reason: '情况复杂' }),
    allow: ['supervisor'],
    ok: 200,
  },
  {
    route: 'POST /api/cases/{caseNo}/withdraw',
    stage: 'in_review',
    mutates: true,
    url: (_x, c) => `/api/cases/${c_(c)}/withdraw`,
    body: () => ({ reason: '申请人撤回' }),
    allow: ['window'],
    ok: 200,
  },
  // ------------------------------------------------------------ inbox and supervision
  {
    route: 'GET /api/tasks',
    url: () => '/api/tasks?state=pending',
    allow: ['lead', 'co', 'foreign', 'supervisor'],
    ok: 200,
  },
  {
    route: 'GET /api/tasks',
    variant: 'dept=<lead>',
    url: (x) => `/api/tasks?state=all&dept=${x.m.lead}`,
    allow: ['lead', 'supervisor'],
    refusedAs: { co: 'not_own_department', foreign: 'not_own_department' },
    ok: 200,
  },
  { route: 'GET /api/inbox', url: () => '/api/inbox', allow: ['lead', 'co', 'foreign', 'supervisor'], ok: 200 },
  {
    route: 'GET /api/inbox',
    variant: 'dept=<lead>',
    url: (x) => `/api/inbox?dept=${x.m.lead}`,
    allow: ['lead', 'supervisor'],
    refusedAs: { co: 'not_own_department', foreign: 'not_own_department' },
    ok: 200,
  },
  {
    route: 'GET /api/supervision/cases',
    url: () => '/api/supervision/cases?filter=at_risk',
    allow: ['supervisor'],
    ok: 200,
  },
  {
    route: 'GET /api/supervision/stats',
    url: () => '/api/supervision/stats?from=2026-01-01&to=2026-12-31',
    allow: ['supervisor'],
    ok: 200,
  },
  {
    route: 'GET /api/supervision/stats.csv',
    url: () => '/api/supervision/stats.csv?from=2026-01-01&to=2026-12-31',
    allow: ['supervisor'],
    ok: 200,
  },
  {
    route: 'GET /api/supervision/stats/matters',
    url: () => '/api/supervision/stats/matters?from=2026-01-01&to=2026-12-31',
    allow: ['supervisor'],
    ok: 200,
  },
  {
    route: 'GET /api/supervision/stats/matters.csv',
    url: () => '/api/supervision/stats/matters.csv?from=2026-01-01&to=2026-12-31',
    allow: ['supervisor'],
    ok: 200,
  },
  { route: 'GET /api/supervision/trend', url: () => '/api/supervision/trend', allow: ['supervisor'], ok: 200 },
  {
    route: 'GET /api/supervision/summary',
    url: () => '/api/supervision/summary?stalledHours=4',
    allow: ['supervisor'],
    ok: 200,
  },
  { route: 'GET /api/departments/deliveries', url: () => '/api/departments/deliveries', allow: ['admin'], ok: 200 },
  // ------------------------------------------------------------ live updates
  {
    route: 'POST /api/stream/tickets',
    url: () => '/api/stream/tickets',
    body: (x) => ({ topics: [`inbox:${x.m.lead}`] }),
    allow: ['lead', 'supervisor'],
    refusedAs: { co: 'not_own_department', foreign: 'not_own_department' },
    ok: 201,
  },
  {
    route: 'GET /api/stream',
    url: (x) => `/api/stream?topics=inbox:${x.m.lead}`,
    allow: ['lead', 'supervisor'],
    refusedAs: { co: 'not_own_department', foreign: 'not_own_department' },
    ok: 200,
    stream: true,
  },
  // ------------------------------------------------------------ saved views (each person's own)
  { route: 'GET /api/views', url: () => '/api/views?screen=cases', allow: ALL_STAFF, ok: 200 },
  {
    route: 'POST /api/views',
    url: () => '/api/views',
    body: (x) => ({ screen: 'cases', name: `矩阵视图 ${x.suffix}`, filters: { status: 'in_review' } }),
    allow: ALL_STAFF,
    ok: 201,
  },
  {
    route: 'PUT /api/views/{id}',
    url: (x, _c, role) => `/api/views/${x.views[role as StaffRole] ?? x.views.supervisor}`,
    body: (x) => ({ screen: 'cases', name: `改名视图 ${x.suffix}`, filters: { matterCode: x.m.matterCode } }),
    allow: ALL_STAFF,
    ok: 200,
  },
  {
    route: 'DELETE /api/views/{id}',
    url: (x, _c, role) => `/api/views/${x.views[role as StaffRole] ?? x.views.supervisor}`,
    allow: ALL_STAFF,
    ok: 204,
  },
];

/** Routes outside the OpenAPI document (the document itself and its UI). */
export const UNDOCUMENTED = new Set(['GET /openapi.json', 'GET /docs']);

/** The claims each staff role of the matrix signs with. */
export function staffClaims(ctx: Ctx): Record<StaffRole, Record<string, string>> {
  return {
    window: { sub: 'win-1', name: '窗口', role: 'window', dept: 'WIN' },
    lead: { sub: 'lead-1', name: '牵头', role: 'department', dept: ctx.m.lead },
    co: { sub: 'co-1', name: '协办', role: 'department', dept: ctx.m.co[0]! },
    foreign: { sub: 'foreign-1', name: '无关', role: 'department', dept: ctx.foreign },
    supervisor: { sub: 'sup-1', name: '督办', role: 'supervisor' },
    admin: { sub: 'admin-1', name: '管理员', role: 'admin' },
  };
}
