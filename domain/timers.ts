import { nextWorkingDayStart, warningAt } from './calendar';
import type { TimeModel } from './calendar';
import { BEFORE_DECISION, type CaseState } from './types';

export type TimerKind =
  | 'case_warn'
  | 'case_overdue'
  | 'case_escalate'
  | 'dept_warn'
  | 'dept_overdue'
  | 'dept_escalate'
  | 'negative_overdue'
  | 'negative_escalate'
  | 'payment_remind'
  | 'payment_expire'
  | 'deferral_expire'
  | 'verification_overdue'
  | 'verification_escalate'
  | 'remediation_overdue'
  | 'remediation_escalate';

export interface Timer {
  at: number;
  kind: TimerKind;
  dept?: string;
}

/**
 * A department is warned when one working day remains: at 00:00 of its deadline's last working day
 * (domain.md). Cases started before that correction keep their earlier warning, a working day before.
 */
export function deptWarnDays(s: CaseState): number {
  return s.rules?.deptWarnOnLastDay ? 0 : 1;
}

/**
 * Every timer the case has armed right now, derived from its state. The workflow sleeps until the
 * earliest; `decide({type:'tick'})` fires those that are due. One source for both, so they agree.
 */
export function armedTimers(s: CaseState, time: TimeModel): Timer[] {
  return [
    ...caseTimers(s, time),
    ...deptTimers(s, time),
    ...negativeReviewTimers(s, time),
    ...paymentTimers(s),
    ...deferralTimers(s),
    ...verificationTimers(s, time),
    ...remediationTimers(s, time),
  ];
}

export function nextTimer(s: CaseState, time: TimeModel): Timer | undefined {
  return armedTimers(s, time).reduce<Timer | undefined>(
    (min, t) => (min === undefined || t.at < min.at ? t : min),
    undefined,
  );
}

function caseTimers(s: CaseState, time: TimeModel): Timer[] {
  if ((s.status !== 'in_review' && s.status !== 'deciding') || s.deadline === undefined) return [];
  if (!s.caseOverdue) {
    const timers: Timer[] = [{ at: s.deadline, kind: 'case_overdue' }];
    if (!s.caseWarned) timers.push({ at: warningAt(time, s.deadline, s.matter.warnDays), kind: 'case_warn' });
    return timers;
  }
  return [{ at: nextWorkingDayStart(time, s.lastCaseEscalationAt ?? s.deadline), kind: 'case_escalate' }];
}

function deptTimers(s: CaseState, time: TimeModel): Timer[] {
  if (s.status !== 'in_review') return [];
  return s.departments
    .filter((t) => t.status === 'pending')
    .flatMap((t): Timer[] => {
      if (t.overdue)
        return [{ at: nextWorkingDayStart(time, t.lastEscalationAt ?? t.dueAt), kind: 'dept_escalate', dept: t.dept }];
      const timers: Timer[] = [{ at: t.dueAt, kind: 'dept_overdue', dept: t.dept }];
      if (!t.warned) timers.push({ at: warningAt(time, t.dueAt, deptWarnDays(s)), kind: 'dept_warn', dept: t.dept });
      return timers;
    });
}

function negativeReviewTimers(s: CaseState, time: TimeModel): Timer[] {
  const review = s.negativeReview;
  if (s.status !== 'negative_review' || !review) return [];
  if (!review.overdue) return [{ at: review.dueAt, kind: 'negative_overdue' }];
  return [{ at: nextWorkingDayStart(time, review.lastEscalationAt ?? review.dueAt), kind: 'negative_escalate' }];
}

function paymentTimers(s: CaseState): Timer[] {
  const { remindAt, dueAt, reminded } = s.fees;
  if (s.status !== 'awaiting_payment' || dueAt === undefined) return [];
  const timers: Timer[] = [{ at: dueAt, kind: 'payment_expire' }];
  if (!reminded && remindAt !== undefined) timers.push({ at: remindAt, kind: 'payment_remind' });
  return timers;
}

/** 容缺受理: the case ends when a deferred material is still missing at its due time (until the decision). */
function deferralTimers(s: CaseState): Timer[] {
  if (!BEFORE_DECISION.includes(s.status) || s.status === 'awaiting_materials') return [];
  const due = (s.deferred ?? []).filter((m) => m.suppliedAt === undefined && m.dueAt !== undefined);
  return due.length ? [{ at: Math.min(...due.map((m) => m.dueAt!)), kind: 'deferral_expire' }] : [];
}

/** 告知承诺制: the check after approval is escalated when late, and every working day after. */
function verificationTimers(s: CaseState, time: TimeModel): Timer[] {
  const v = s.verification;
  if (!v || v.outcome || s.status === 'withdrawn') return [];
  if (!v.overdue) return [{ at: v.dueAt, kind: 'verification_overdue' }];
  return [{ at: nextWorkingDayStart(time, v.lastEscalationAt ?? v.dueAt), kind: 'verification_escalate' }];
}

/** 好差评: a remediation not recorded by its due time is escalated, and every working day after. */
function remediationTimers(s: CaseState, time: TimeModel): Timer[] {
  const r = s.remediation;
  if (!r || r.doneAt !== undefined) return [];
  if (!r.overdue) return [{ at: r.dueAt, kind: 'remediation_overdue' }];
  return [{ at: nextWorkingDayStart(time, r.lastEscalationAt ?? r.dueAt), kind: 'remediation_escalate' }];
}

// ---------------------------------------------------------------- deadlines decided ahead

/**
 * When a case decides its next timer ahead, and when it settles that decision (issue 14). Every
 * limit ends at 24:00, so a day's deadlines fall due at once; each case decides what its deadline
 * will do a while before (spread by case number, so the work is spread too), leaves the events held,
 * and a sweeper records all of them at the boundary. The case settles its own a little after (also
 * spread): by then the sweeper has recorded it, or the case records it itself.
 *
 * Calendar days: decided 1–30 minutes ahead, settled 5 s to 30 minutes after (recorded already,
 * the settling has no hurry; spread thin, it does not crowd out the acts of a busy morning). The
 * demo clock scales with its day (decided 10–90 % of a day ahead, settled 5–50 % after); a lead
 * under 2 s buys nothing over firing on time, so such short days (the tests' clocks) fire on time.
 */
export interface HoldWindow {
  /** From when the timer's events may be decided (its instant `at` still in the future). */
  decideAt: number;
  /** When the case settles the held events, if nothing settled them earlier. */
  settleAt: number;
}

export const MIN_HOLD_LEAD_MS = 2_000;
const MINUTE_MS = 60_000;

export function holdWindow(at: number, caseNo: string, time: TimeModel): HoldWindow | undefined {
  if (!Number.isFinite(at)) throw new RangeError('a timer instant must be finite');
  const early = spreadOf(caseNo, 'decide');
  const late = spreadOf(caseNo, 'settle');
  if (time.kind === 'demo') {
    const lead = time.dayMs * (0.1 + 0.8 * early);
    if (lead < MIN_HOLD_LEAD_MS) return undefined;
    return { decideAt: at - lead, settleAt: at + Math.max(2_000, time.dayMs * 0.05) + time.dayMs * 0.45 * late };
  }
  return { decideAt: at - MINUTE_MS * (1 + 29 * early), settleAt: at + 5_000 + 30 * MINUTE_MS * late };
}

/** A case's fixed place in [0, 1) for one purpose (FNV-1a of its number), so its work lands the same on replay. */
function spreadOf(caseNo: string, purpose: string): number {
  let h = 0x811c9dc5;
  for (const ch of `${purpose}:${caseNo}`) {
    h ^= ch.codePointAt(0)!;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h / 0x1_0000_0000;
}
