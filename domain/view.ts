import { dayOf, remainingWorkingDays, toShanghaiIso, type TimeModel } from './calendar';
import { usedWorkingDays } from './lateness';
import { deadlineProvisional, isProvisional } from './republication';
import type { CaseState } from './types';

const iso = (ms: number | undefined) => (ms === undefined ? null : toShanghaiIso(ms));

/** The API's CaseView: the state plus the clock figures as of `now`. */
export function toCaseView(s: CaseState, now: number, time: TimeModel) {
  const clockStopsAt = s.decidedAt ?? s.withdrawal?.at ?? s.refusal?.at ?? s.termination?.at ?? now;
  // While suspended the remaining days stand still at the moment the clock stopped.
  const remainingAt = s.suspension?.from ?? Math.min(now, clockStopsAt);
  return {
    caseNo: s.caseNo,
    matterCode: s.matter.code,
    matterName: s.matter.name,
    status: s.status,
    priority: s.priority,
    applicant: { name: s.applicant.name },
    leadDept: s.matter.leadDept,
    submittedAt: iso(s.submittedAt),
    acceptedAt: iso(s.acceptedAt),
    deadline: iso(s.deadline),
    statutoryDeadline: iso(s.statutoryDeadline),
    /** Counting to an open deadline runs through a year not yet published (weekends only until it is). */
    deadlineProvisional: deadlineProvisional(s, time, now),
    alert: s.alert,
    missingMaterials: s.missingMaterials,
    clock: {
      timeLimitDays: s.matter.timeLimitDays,
      statutoryLimitDays: s.matter.statutoryLimitDays,
      usedWorkingDays: usedWorkingDays(s, time, dayOf(time, Math.min(now, clockStopsAt))),
      remainingWorkingDays: s.deadline === undefined ? null : remainingWorkingDays(time, s.deadline, remainingAt),
      suspended: s.suspension !== undefined,
      suspensions: [...s.suspensions, ...(s.suspension ? [s.suspension] : [])].map((x) => ({
        kind: x.kind,
        from: iso(x.from),
        to: iso(x.to),
        workingDays: x.workingDays ?? null,
      })),
      extensionDays: s.extensionDays,
      calendar: s.time.kind === 'calendar' ? s.time.version : 'demo',
    },
    departments: s.departments.map((t) => ({
      dept: t.dept,
      role: t.role,
      round: t.round,
      status: t.status,
      verdict: t.opinion?.verdict ?? null,
      comment: t.opinion?.comment ?? null,
      conditions: t.opinion?.conditions ?? [],
      fees: t.opinion?.fees ?? [],
      assignedAt: iso(t.assignedAt),
      dueAt: iso(t.dueAt),
      dueAtProvisional: t.status === 'pending' && isProvisional(time, now, t.dueAt),
      givenAt: iso(t.givenAt),
      alert: t.alert,
    })),
    supplement: s.supplement
      ? {
          requests: s.supplement.requests,
          noticeIssuedAt: iso(s.supplement.noticeIssuedAt),
          received: s.supplement.received,
        }
      : null,
    meetings: s.meetings.map((m) => ({
      meetingId: m.id,
      kind: m.kind,
      scheduledAt: m.scheduledAt,
      departments: m.departments,
      findings: m.findings ?? null,
    })),
    specialProcedures: s.procedures.map((p) => ({
      procedureId: p.id,
      kind: p.kind,
      reason: p.reason,
      startedAt: iso(p.startedAt),
      endedAt: iso(p.endedAt),
      outcome: p.outcome ?? null,
    })),
    decision: s.decision
      ? {
          decision: s.decision.decision,
          reason: s.decision.reason ?? null,
          legalBasis: s.decision.legalBasis ?? null,
          overruleReason: s.decision.overruleReason ?? null,
          overruled: s.decision.overruled,
          conditions: s.decision.conditions,
          decidedBy: s.decision.by,
          decidedAt: iso(s.decision.at),
        }
      : null,
    negativeReview: s.negativeReview
      ? {
          dueAt: iso(s.negativeReview.dueAt),
          overdue: s.negativeReview.overdue,
          outcome: s.negativeReview.outcome ?? null,
          note: s.negativeReview.note ?? null,
          reviewedAt: iso(s.negativeReview.reviewedAt),
        }
      : null,
    fees: {
      items: s.fees.items,
      totalCents: s.fees.totalCents,
      paymentRef: s.fees.paymentRef ?? null,
      paidAt: iso(s.fees.paidAt),
      dueAt: iso(s.fees.dueAt),
      split: s.fees.split ?? [],
    },
    result: s.result ? { number: s.result.number, issuedAt: iso(s.result.issuedAt) } : null,
    completedAt: iso(s.completedAt),
    lateWorkingDays: s.lateWorkingDays ?? null,
    statutoryLateWorkingDays: s.statutoryLateWorkingDays ?? null,
    lastProgressAt: iso(s.lastProgressAt),
    deferredMaterials: (s.deferred ?? []).map((m) => ({
      code: m.code,
      name: m.name,
      form: m.form,
      dueAt: iso(m.dueAt),
      suppliedAt: iso(m.suppliedAt),
    })),
    promise: s.promise ?? null,
    commitments: (s.commitments ?? []).map((m) => ({ code: m.code, name: m.name, committedAt: iso(m.committedAt)! })),
    verification: s.verification
      ? {
          dept: s.verification.dept,
          dueAt: iso(s.verification.dueAt)!,
          overdue: s.verification.overdue,
          outcome: s.verification.outcome ?? null,
          note: s.verification.note ?? null,
          at: iso(s.verification.at),
        }
      : null,
    termination: s.termination
      ? { reason: s.termination.reason, code: s.termination.code ?? null, at: iso(s.termination.at)! }
      : null,
    rating: s.rating ? { level: s.rating.level, at: iso(s.rating.at)! } : null,
    remediation: s.remediation
      ? {
          dept: s.remediation.dept,
          dueAt: iso(s.remediation.dueAt)!,
          overdue: s.remediation.overdue,
          doneAt: iso(s.remediation.doneAt),
          onTime: s.remediation.onTime ?? null,
          action: s.remediation.action ?? null,
          contactedApplicant: s.remediation.contactedApplicant ?? null,
        }
      : null,
  };
}

export type CaseView = ReturnType<typeof toCaseView>;

/** What an applicant may read: stage, who has answered, deadline and result; never comments. */
export function toPublicView(s: CaseState) {
  return {
    caseNo: s.caseNo,
    matterName: s.matter.name,
    status: s.status,
    submittedAt: iso(s.submittedAt),
    acceptedAt: iso(s.acceptedAt),
    deadline: iso(s.deadline),
    missingMaterials: s.status === 'awaiting_materials' ? s.missingMaterials : [],
    supplementRequested:
      s.status === 'suspended' && s.supplement ? s.supplement.requests.flatMap((r) => r.materials) : [],
    departments: s.departments.map((t) => ({ dept: t.dept, answered: t.status !== 'pending' })),
    payment: s.status === 'awaiting_payment' ? { totalCents: s.fees.totalCents, dueAt: iso(s.fees.dueAt) } : null,
    result: s.result ? { number: s.result.number, issuedAt: iso(s.result.issuedAt) } : null,
    decision: s.status === 'rejected' ? 'rejected' : s.decision?.decision === 'approve' ? 'approved' : null,
    completedAt: iso(s.completedAt),
    deferredMaterials: (s.deferred ?? []).map((m) => ({
      name: m.name,
      form: m.form,
      dueAt: iso(m.dueAt),
      supplied: m.suppliedAt !== undefined,
    })),
    termination: s.termination ? { reason: s.termination.reason, code: s.termination.code ?? null } : null,
    // 好差评: whether the applicant has rated the ended case (the page then shows the rating, not the form).
    rating: s.rating ? { level: s.rating.level, at: iso(s.rating.at)! } : null,
  };
}
