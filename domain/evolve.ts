import { legalAt, PROGRESS_EVENTS, type CaseEvent } from './events';
import type { CaseState, DeptTask } from './types';

/**
 * Folds one event into the case state. Pure and free of time arithmetic: every instant an event
 * implies was computed by `decide` and travels in the event, so projections rebuilt from the
 * events alone come out identical to the live ones.
 */
export function evolve(state: CaseState | undefined, recorded: CaseEvent): CaseState {
  // The state keeps legal times: an act counts when it was received, a timer when it took effect.
  const event = { ...recorded, at: legalAt(recorded) } as CaseEvent;
  if (event.type === 'submitted') return initialState(event);
  if (!state) throw new Error(`event ${event.type} before submitted for ${event.caseNo}`);
  const next = apply({ ...state, seq: event.seq }, event, recorded.at);
  if (PROGRESS_EVENTS.has(event.type)) next.lastProgressAt = event.at;
  return next;
}

export function fold(events: readonly CaseEvent[], from?: CaseState): CaseState {
  let state = from;
  for (const event of events) state = evolve(state, event);
  if (!state) throw new Error('no events');
  return state;
}

function initialState(event: Extract<CaseEvent, { type: 'submitted' }>): CaseState {
  const { matter, applicant, priority, materials, queryCodeHash, time, rules, deferred, commitments } = event.data;
  return {
    caseNo: event.caseNo,
    seq: event.seq,
    matter,
    time,
    ...(rules ? { rules } : {}),
    priority,
    applicant,
    queryCodeHash,
    status: 'awaiting_materials',
    submittedAt: event.at,
    materials,
    missingMaterials: [],
    alert: 'none',
    caseWarned: false,
    caseOverdue: false,
    suspensions: [],
    extensionDays: 0,
    extensions: [],
    departments: [],
    pastTasks: [],
    supplementRounds: 0,
    meetings: [],
    procedures: [],
    fees: { items: [], totalCents: 0, reminded: false },
    urges: [],
    lastProgressAt: event.at,
    ...(deferred ? { deferred: deferred.materials, promise: deferred.promise } : {}),
    ...(commitments ? { commitments: commitments.map((m) => ({ ...m, committedAt: event.at })) } : {}),
  };
}

function updateTask(state: CaseState, dept: string, change: (t: DeptTask) => DeptTask): DeptTask[] {
  return state.departments.map((t) => (t.dept === dept ? change(t) : t));
}

/**
 * `e.at` is the event's legal time; `appliedAt` when it was processed. Repeating escalations count
 * from when they were processed: after an outage one catch-up escalation is due, not one per missed day.
 */
function apply(s: CaseState, e: CaseEvent, appliedAt: number): CaseState {
  switch (e.type) {
    case 'submitted':
      return s;
    case 'materials_notice_issued':
      return { ...s, missingMaterials: e.data.missing };
    case 'materials_supplemented':
      return {
        ...s,
        materials: [...new Set([...s.materials, ...e.data.materials])],
        missingMaterials: e.data.missing,
        // a deferred material handed in before acceptance is simply in
        ...(s.deferred ? { deferred: s.deferred.filter((m) => !e.data.materials.includes(m.code)) } : {}),
      };
    case 'accepted':
      return {
        ...s,
        status: 'in_review',
        acceptedAt: e.at,
        deadline: e.data.deadline,
        statutoryDeadline: e.data.statutoryDeadline,
        missingMaterials: [],
      };
    case 'refused':
      return { ...s, status: 'refused', refusal: { reason: e.data.reason, at: e.at } };
    case 'copied_to_department': {
      const task: DeptTask = {
        dept: e.data.dept,
        role: e.data.role,
        round: e.data.round,
        status: 'pending',
        assignedAt: e.at,
        dueAt: e.data.dueAt,
        alert: 'none',
        warned: false,
        overdue: false,
        urged: 0,
      };
      const previous = s.departments.find((t) => t.dept === e.data.dept);
      if (!previous) return { ...s, departments: [...s.departments, task] };
      return {
        ...s,
        pastTasks: [...(s.pastTasks ?? []), previous],
        departments: updateTask(s, e.data.dept, () => task),
      };
    }
    case 'opinion_given':
      return {
        ...s,
        departments: updateTask(s, e.data.dept, (t) => ({
          ...t,
          status: 'given',
          opinion: e.data.opinion,
          givenAt: e.at,
          givenBy: e.actor.sub,
          // Given in time after all: what the deadline's timer did in the meantime no longer holds.
          ...(e.data.supersedes
            ? { overdue: false, alert: 'none' as const, supersededSeq: e.data.supersedes.seq }
            : {}),
        })),
      };
    case 'opinion_deemed':
      return {
        ...s,
        departments: updateTask(s, e.data.dept, (t) => ({
          ...t,
          status: 'deemed',
          opinion: { verdict: 'approve', comment: e.data.note },
          givenAt: e.at,
          givenBy: 'system',
          deemedSeq: e.seq,
        })),
      };
    case 'late_act_refused':
      return s;
    case 'review_completed':
      return { ...s, status: 'deciding' };
    case 'supplement_notice_issued':
      return {
        ...s,
        supplement: { requests: e.data.requests, noticeIssuedAt: e.at, received: [] },
        supplementRounds: s.supplementRounds + 1,
      };
    case 'clock_suspended':
      return { ...s, status: 'suspended', suspension: { kind: e.data.kind, from: e.data.from } };
    case 'supplement_registered':
      return s.supplement
        ? {
            ...s,
            supplement: { ...s.supplement, received: [...new Set([...s.supplement.received, ...e.data.materials])] },
          }
        : s;
    case 'clock_resumed':
      return {
        ...s,
        status: 'in_review',
        suspension: undefined,
        supplement: e.data.kind === 'supplement' ? undefined : s.supplement,
        suspensions: [
          ...s.suspensions,
          { kind: e.data.kind, from: e.data.from, to: e.data.to, workingDays: e.data.workingDays },
        ],
        deadline: e.data.deadline,
        statutoryDeadline: e.data.statutoryDeadline,
        departments: s.departments.map((t) =>
          e.data.deptDueAt[t.dept] !== undefined ? { ...t, dueAt: e.data.deptDueAt[t.dept]! } : t,
        ),
      };
    case 'meeting_convened':
      return {
        ...s,
        meetings: [
          ...s.meetings,
          {
            id: e.data.meetingId,
            kind: e.data.kind,
            scheduledAt: e.data.scheduledAt,
            departments: e.data.departments,
            convenedAt: e.at,
          },
        ],
      };
    case 'minutes_recorded':
      return {
        ...s,
        meetings: s.meetings.map((m) => (m.id === e.data.meetingId ? { ...m, findings: e.data.findings } : m)),
      };
    case 'special_procedure_started':
      return {
        ...s,
        procedures: [
          ...s.procedures,
          { id: e.data.procedureId, kind: e.data.kind, reason: e.data.reason, startedAt: e.at },
        ],
      };
    case 'special_procedure_ended':
      return {
        ...s,
        procedures: s.procedures.map((p) =>
          p.id === e.data.procedureId ? { ...p, endedAt: e.at, outcome: e.data.outcome } : p,
        ),
      };
    case 'department_warned':
      return { ...s, departments: updateTask(s, e.data.dept, (t) => ({ ...t, warned: true, alert: 'yellow' })) };
    case 'department_overdue':
      return {
        ...s,
        departments: updateTask(s, e.data.dept, (t) => ({
          ...t,
          warned: true,
          overdue: true,
          alert: 'red',
          lastEscalationAt: appliedAt,
          overdueSeq: e.seq,
        })),
      };
    case 'case_warned':
      return { ...s, caseWarned: true, alert: s.alert === 'red' ? 'red' : 'yellow' };
    case 'case_overdue':
      return { ...s, caseWarned: true, caseOverdue: true, alert: 'red', lastCaseEscalationAt: appliedAt };
    case 'escalated':
      return escalated(s, e, appliedAt);
    case 'urged':
      return {
        ...s,
        urges: [...s.urges, { message: e.data.message, at: e.at, by: e.actor.sub, depts: e.data.depts }],
        departments: s.departments.map((t) =>
          e.data.depts.includes(t.dept) && t.status === 'pending' ? { ...t, urged: t.urged + 1 } : t,
        ),
      };
    case 'extension_granted':
      return {
        ...s,
        extensionDays: e.data.totalDays,
        extensions: [
          ...s.extensions,
          { workingDays: e.data.workingDays, reason: e.data.reason, at: e.at, by: e.actor.sub },
        ],
        deadline: e.data.deadline,
        statutoryDeadline: e.data.statutoryDeadline,
        alert: e.data.alert,
        caseWarned: e.data.alert !== 'none',
        caseOverdue: e.data.alert === 'red',
      };
    case 'decided':
      return decided(s, e);
    case 'negative_filing_reviewed': {
      const review = {
        ...s.negativeReview!,
        outcome: e.data.outcome,
        note: e.data.note,
        reviewedAt: e.at,
        reviewedBy: e.actor.sub,
      };
      if (e.data.outcome === 'overturn')
        return { ...s, status: 'deciding', negativeReview: review, decision: undefined, decidedAt: undefined };
      return {
        ...s,
        status: 'rejected',
        negativeReview: review,
        completedAt: e.at,
        lateWorkingDays: e.data.lateWorkingDays,
        statutoryLateWorkingDays: e.data.statutoryLateWorkingDays,
      };
    }
    case 'payment_notice_issued':
      return {
        ...s,
        status: 'awaiting_payment',
        fees: {
          ...s.fees,
          items: e.data.items,
          totalCents: e.data.totalCents,
          noticeAt: e.at,
          remindAt: e.data.remindAt,
          dueAt: e.data.dueAt,
        },
      };
    case 'payment_reminded':
      return { ...s, fees: { ...s.fees, reminded: true } };
    case 'payment_confirmed':
      return { ...s, fees: { ...s.fees, paymentRef: e.data.paymentRef, paidAt: e.at, split: e.data.split } };
    case 'completed':
      return {
        ...s,
        status: 'completed',
        completedAt: e.at,
        result: { number: e.data.resultNumber, issuedAt: e.at },
        lateWorkingDays: e.data.lateWorkingDays,
        statutoryLateWorkingDays: e.data.statutoryLateWorkingDays,
      };
    case 'calendar_adopted':
      return { ...s, time: { kind: 'calendar', version: e.data.calendar } };
    case 'deadlines_recomputed':
      return deadlinesRecomputed(s, e);
    case 'withdrawn':
      return { ...s, status: 'withdrawn', withdrawal: { reason: e.data.reason, at: e.at } };
    case 'terminated':
      return {
        ...s,
        status: 'terminated',
        termination: { reason: e.data.reason, at: e.at, ...(e.data.code ? { code: e.data.code } : {}) },
      };
    case 'deferral_accepted':
      return {
        ...s,
        deferred: (s.deferred ?? []).map((m) => ({
          ...m,
          dueAt: e.data.materials.find((x) => x.code === m.code)?.dueAt ?? m.dueAt,
        })),
      };
    case 'deferred_materials_supplied':
      return {
        ...s,
        deferred: (s.deferred ?? []).map((m) => (e.data.materials.includes(m.code) ? { ...m, suppliedAt: e.at } : m)),
      };
    case 'verification_assigned':
      return { ...s, verification: { dept: e.data.dept, dueAt: e.data.dueAt, overdue: false } };
    case 'commitments_verified':
      return s.verification
        ? {
            ...s,
            verification: { ...s.verification, outcome: e.data.outcome, note: e.data.note, at: e.at, by: e.actor.sub },
          }
        : s;
    case 'rated':
      return { ...s, rating: { ...e.data, at: e.at } };
    case 'remediation_opened':
      return {
        ...s,
        remediation: { dept: e.data.dept, level: e.data.level, openedAt: e.at, dueAt: e.data.dueAt, overdue: false },
      };
    case 'remediation_reassigned':
      return s.remediation ? { ...s, remediation: { ...s.remediation, dept: e.data.dept } } : s;
    case 'remediation_recorded':
      return s.remediation
        ? {
            ...s,
            remediation: {
              ...s.remediation,
              doneAt: e.at,
              onTime: e.data.onTime,
              action: e.data.action,
              contactedApplicant: e.data.contactedApplicant,
              note: e.data.note,
            },
          }
        : s;
    case 'approval_revoked':
      return { ...s, status: 'revoked' };
  }
}

function escalated(s: CaseState, e: Extract<CaseEvent, { type: 'escalated' }>, at: number): CaseState {
  if (e.data.scope === 'case') return { ...s, lastCaseEscalationAt: at };
  if (e.data.scope === 'remediation' && s.remediation)
    return { ...s, remediation: { ...s.remediation, overdue: true, lastEscalationAt: at } };
  if (e.data.scope === 'verification' && s.verification)
    return { ...s, verification: { ...s.verification, overdue: true, lastEscalationAt: at } };
  if (e.data.scope === 'negative_review' && s.negativeReview) {
    return { ...s, negativeReview: { ...s.negativeReview, overdue: true, lastEscalationAt: at } };
  }
  return {
    ...s,
    departments: s.departments.map((t) =>
      e.data.depts.includes(t.dept) && t.overdue ? { ...t, lastEscalationAt: at } : t,
    ),
  };
}

function decided(s: CaseState, e: Extract<CaseEvent, { type: 'decided' }>): CaseState {
  const { negativeReviewDueAt, ...rest } = e.data;
  const decision = { ...rest, by: e.actor.sub, at: e.at };
  const decidedSeq = e.seq;
  if (decision.decision === 'reject') {
    return {
      ...s,
      status: 'negative_review',
      decision,
      decidedAt: e.at,
      decidedSeq,
      negativeReview: { filedAt: e.at, dueAt: negativeReviewDueAt!, overdue: false },
    };
  }
  return { ...s, decision, decidedAt: e.at, decidedSeq };
}

function deadlinesRecomputed(s: CaseState, e: Extract<CaseEvent, { type: 'deadlines_recomputed' }>): CaseState {
  const moved = (kind: string, dept?: string) =>
    e.data.deadlines.find((x) => x.kind === kind && (dept === undefined || x.dept === dept))?.after;
  const { alerts } = e.data;
  return {
    ...s,
    time: { kind: 'calendar', version: e.data.calendar },
    deadline: moved('case') ?? s.deadline,
    statutoryDeadline: moved('statutory') ?? s.statutoryDeadline,
    alert: alerts.case,
    caseWarned: alerts.caseWarned,
    departments: s.departments.map((t) => {
      const dueAt = moved('department', t.dept);
      const a = alerts.departments.find((x) => x.dept === t.dept);
      return dueAt === undefined ? t : { ...t, dueAt, ...(a ? { warned: a.warned, alert: a.alert } : {}) };
    }),
    deferred: s.deferred?.map((m) => {
      const dueAt = e.data.deadlines.find((x) => x.kind === 'deferred' && x.code === m.code)?.after;
      return dueAt === undefined ? m : { ...m, dueAt };
    }),
    verification:
      s.verification && moved('verification') !== undefined
        ? { ...s.verification, dueAt: moved('verification')! }
        : s.verification,
    negativeReview:
      s.negativeReview && moved('negative_review') !== undefined
        ? { ...s.negativeReview, dueAt: moved('negative_review')! }
        : s.negativeReview,
  };
}
