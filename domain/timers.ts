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
  | 'verification_escalate';

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
