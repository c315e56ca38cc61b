import type { TimeModel } from './calendar';

export type Role = 'window' | 'department' | 'supervisor' | 'admin' | 'system' | 'applicant';
export interface Actor {
  sub: string;
  role: Role;
  dept?: string;
  name?: string;
}
export const SYSTEM_ACTOR: Actor = { sub: 'system', role: 'system' };

export type SilencePolicy = 'deemed_approve' | 'escalate_only';
export interface Material {
  code: string;
  name: string;
}
/** A required material as the matter defines it, with the newer instruments it allows. */
export interface RequiredMaterial extends Material {
  /** 容缺受理: may follow after acceptance under the applicant's signed promise. */
  deferrable?: boolean;
  /** In what form a deferred material must follow (told in the acceptance notice). */
  deferredForm?: string;
  /** 告知承诺制: the applicant's written commitment may replace its proof. */
  commitmentAllowed?: boolean;
}
export interface FeeStandard {
  dept: string;
  item: string;
  maxAmountCents: number;
}

/** The matter as the catalog defined it when the case was submitted (cases keep this snapshot). */
export interface MatterSnapshot {
  code: string;
  name: string;
  leadDept: string;
  coDepts: string[];
  requiredMaterials: RequiredMaterial[];
  timeLimitDays: number;
  statutoryLimitDays: number;
  deptReviewDays: number;
  warnDays: number;
  silencePolicy: SilencePolicy;
  fees: FeeStandard[];
  paymentDays: number;
  /** Working days within which deferred materials must follow (default 5). */
  deferredDays?: number;
  /** The department that verifies commitments after approval (default the lead). */
  verifyDept?: string;
  /** Working days it has to verify them (default 20). */
  verifyDays?: number;
}

export const MATTER_DEFAULTS = {
  statutoryLimitDays: 45,
  deptReviewDays: 7,
  warnDays: 2,
  paymentDays: 15,
  deferredDays: 5,
  verifyDays: 20,
} as const;
/** Joint handling may be extended by at most 15 working days in all (Administrative Licensing Law Art. 42). */
export const MAX_EXTENSION_DAYS = 15;
/** Negative filing must be reviewed within 3 working days. */
export const NEGATIVE_REVIEW_DAYS = 3;

/** How the case counts days: a reference that survives into events (a calendar by version, or the demo clock). */
export type TimeModelRef = { kind: 'calendar'; version: string } | { kind: 'demo'; epochMs: number; dayMs: number };

export function timeModelRef(model: TimeModel): TimeModelRef {
  return model.kind === 'calendar' ? { kind: 'calendar', version: model.calendar.version } : model;
}

/**
 * Rule corrections a case was started under. A case keeps the rules it began with, so cases already
 * running (and their recorded histories) go on as before; the workflow stamps new cases with
 * CURRENT_RULES behind a version patch. Absent = the rules of before the first correction.
 */
export interface CaseRules {
  /** The department's yellow warning at 00:00 of its deadline's last working day (not a working day earlier). */
  deptWarnOnLastDay?: boolean;
}
export const CURRENT_RULES: CaseRules = { deptWarnOnLastDay: true };

export type CaseStatus =
  | 'awaiting_materials'
  | 'in_review'
  | 'suspended'
  | 'deciding'
  | 'negative_review'
  | 'awaiting_payment'
  | 'completed'
  | 'rejected'
  | 'refused'
  | 'withdrawn'
  | 'terminated'
  /** 告知承诺制: the approval was revoked on a false commitment. */
  | 'revoked';

/** The sets of statuses live in ./status.ts; these two are re-exported for existing imports. */
export { BEFORE_DECISION, TERMINAL_STATUSES } from './status';

export type Alert = 'none' | 'yellow' | 'red';
export type Verdict = 'approve' | 'approve_with_conditions' | 'reject' | 'request_supplement';
export type Priority = 'normal' | 'green_channel';

export interface FeeAssessment {
  item: string;
  amountCents: number;
}
export interface DeptFee extends FeeAssessment {
  dept: string;
}

export interface Opinion {
  verdict: Verdict;
  comment?: string;
  /** A rejection's reason and legal basis (the reason may also be given as `comment`). */
  reason?: string;
  legalBasis?: string;
  conditions?: string[];
  materials?: Material[];
  fees?: FeeAssessment[];
}

export interface DeptTask {
  dept: string;
  role: 'lead' | 'co';
  round: number;
  status: 'pending' | 'given' | 'deemed';
  assignedAt: number;
  dueAt: number;
  alert: Alert;
  warned: boolean;
  overdue: boolean;
  lastEscalationAt?: number;
  givenAt?: number;
  givenBy?: string;
  opinion?: Opinion;
  urged: number;
  /** Seq of the event that deemed this task's opinion (视为同意), or marked it overdue. */
  deemedSeq?: number;
  overdueSeq?: number;
  /** Seq of the timer-driven event an opinion received in time replaced. */
  supersededSeq?: number;
}

export interface Suspension {
  kind: 'supplement' | 'special_procedure';
  from: number;
  to?: number;
  /** Working days the clock moved when it resumed. */
  workingDays?: number;
}

export interface SupplementRound {
  requests: { dept: string; materials: Material[] }[];
  noticeIssuedAt?: number;
  received: string[];
}

export interface Meeting {
  id: string;
  kind: 'site_inspection' | 'review_meeting';
  scheduledAt: string;
  departments: string[];
  convenedAt: number;
  findings?: { dept: string; text: string }[];
}

export interface SpecialProcedure {
  id: string;
  kind: string;
  reason: string;
  startedAt: number;
  endedAt?: number;
  outcome?: string;
}

export interface Decision {
  decision: 'approve' | 'reject';
  reason?: string;
  legalBasis?: string;
  overruleReason?: string;
  overruled: string[];
  conditions: string[];
  by: string;
  at: number;
}

export interface NegativeReview {
  filedAt: number;
  dueAt: number;
  overdue: boolean;
  lastEscalationAt?: number;
  outcome?: 'confirm' | 'overturn';
  note?: string;
  reviewedAt?: number;
  reviewedBy?: string;
}

export interface Fees {
  items: DeptFee[];
  totalCents: number;
  noticeAt?: number;
  remindAt?: number;
  dueAt?: number;
  reminded: boolean;
  paymentRef?: string;
  paidAt?: number;
  split?: { dept: string; amountCents: number }[];
}

export interface Applicant {
  name: string;
  idNumber?: string;
  phone?: string;
  /** The window marked the applicant as restricted by the credit system: no 容缺受理, no 告知承诺. */
  creditRestricted?: boolean;
}

/** 容缺受理: a material accepted as missing under the applicant's promise, due after acceptance. */
export interface DeferredMaterial {
  code: string;
  name: string;
  form: string;
  dueAt?: number;
  suppliedAt?: number;
}

/** 告知承诺制: the check of the commitments after approval. */
export interface Verification {
  dept: string;
  dueAt: number;
  overdue: boolean;
  lastEscalationAt?: number;
  outcome?: 'confirmed' | 'false_commitment';
  note?: string;
  at?: number;
  by?: string;
}

export interface CaseState {
  caseNo: string;
  seq: number;
  matter: MatterSnapshot;
  time: TimeModelRef;
  rules?: CaseRules;
  priority: Priority;
  applicant: Applicant;
  queryCodeHash: string;
  status: CaseStatus;
  submittedAt: number;
  materials: string[];
  missingMaterials: Material[];
  acceptedAt?: number;
  deadline?: number;
  statutoryDeadline?: number;
  alert: Alert;
  caseWarned: boolean;
  caseOverdue: boolean;
  lastCaseEscalationAt?: number;
  suspension?: Suspension;
  suspensions: Suspension[];
  extensionDays: number;
  extensions: { workingDays: number; reason: string; at: number; by: string }[];
  departments: DeptTask[];
  /** Earlier review rounds of departments asked to review again, kept for the audit and statistics. */
  pastTasks: DeptTask[];
  supplement?: SupplementRound;
  supplementRounds: number;
  meetings: Meeting[];
  procedures: SpecialProcedure[];
  decision?: Decision;
  negativeReview?: NegativeReview;
  fees: Fees;
  result?: { number: string; issuedAt: number };
  decidedAt?: number;
  /** Seq of the latest decision: a deemed opinion a decision was taken on can no longer be replaced. */
  decidedSeq?: number;
  completedAt?: number;
  lateWorkingDays?: number;
  statutoryLateWorkingDays?: number;
  refusal?: { reason: string; at: number };
  withdrawal?: { reason: string; at: number };
  termination?: { reason: string; at: number; code?: string };
  urges: { message: string; at: number; by: string; depts: string[] }[];
  lastProgressAt: number;
  /** 容缺受理 (absent on cases from before it). */
  deferred?: DeferredMaterial[];
  promise?: { text: string; signedBy: string };
  /** 告知承诺制: materials replaced by the applicant's written commitment. */
  commitments?: { code: string; name: string; committedAt: number }[];
  verification?: Verification;
  /** 好差评: the applicant's rating, and the remediation a bad one opened. */
  rating?: { level: number; dimensions: Record<string, number>; comment?: string; at: number };
  remediation?: {
    dept: string;
    level: number;
    openedAt: number;
    dueAt: number;
    overdue: boolean;
    lastEscalationAt?: number;
    doneAt?: number;
    onTime?: boolean;
    action?: string;
    contactedApplicant?: boolean;
    note?: string;
  };
}
