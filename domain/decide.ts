import { blockingDepts as whoBlocks } from './blocking';
import {
  dayOf,
  deadlineAfter,
  extendDeadline,
  moveBySuspension,
  warningAt,
  workingDaysBetween,
  type TimeModel,
} from './calendar';
import type { CaseCommand } from './commands';
import { Draft, type DecideContext } from './draft';
import { refusal, type DomainError, type RefusalCode } from './errors';
import type { CaseEventBody } from './events';
import {
  assignVerification,
  materialsIn,
  noticeDeferrals,
  outstandingDeferred,
  requireNoDeferralOutstanding,
  submissionInstruments,
  supplyDeferred,
  terminateForDeferral,
  verifyCommitments,
} from './instruments';
import { rate, reassignRemediation, recordRemediation } from './rating';
import { applyCalendar } from './republication';
import { BEFORE_DECISION, CLOSED_UNDECIDED, REVIEW_OR_DECIDING, UNDER_REVIEW } from './status';
import { latenessAtDecision } from './lateness';
import { armedTimers, type Timer } from './timers';
import {
  MAX_EXTENSION_DAYS,
  NEGATIVE_REVIEW_DAYS,
  timeModelRef,
  type Alert,
  type CaseState,
  type DeptFee,
  type DeptTask,
  type Material,
  type Opinion,
} from './types';

export type { DecideContext };

/**
 * The rules of a joint-approval case: given its state and a command, the events that follow, or a
 * DomainError saying why not. Pure: time, identity and the calendar come in `ctx`.
 * A refused command throws before emitting anything, so it changes nothing.
 */
export function decide(command: CaseCommand, state: CaseState | undefined, ctx: DecideContext): CaseEventBody[] {
  if (command.type === 'submit') {
    if (state) return []; // the same case submitted again: nothing new
    const draft = new Draft(undefined, ctx, command.caseNo);
    submit(draft, command);
    return draft.events;
  }
  if (!state) throw refusal('case_not_found', 'no such case');
  const draft = new Draft(state, ctx, state.caseNo);
  HANDLERS[command.type](draft, command as never);
  return draft.events;
}

type Handler<T extends CaseCommand['type']> = (d: Draft, c: Extract<CaseCommand, { type: T }>) => void;
const HANDLERS: { [T in Exclude<CaseCommand['type'], 'submit'>]: Handler<T> } = {
  register_materials: registerMaterials,
  refuse,
  give_opinion: giveOpinion,
  register_supplement: registerSupplement,
  convene_meeting: conveneMeeting,
  record_minutes: recordMinutes,
  start_special_procedure: startSpecialProcedure,
  end_special_procedure: endSpecialProcedure,
  decide: decideCase,
  review_negative_filing: reviewNegativeFiling,
  confirm_payment: confirmPayment,
  urge,
  extend,
  withdraw,
  tick,
  apply_calendar: (d, c) => applyCalendar(d, c.calendar),
  verify_commitments: verifyCommitments,
  rate,
  reassign_remediation: reassignRemediation,
  record_remediation: recordRemediation,
};

// ---------------------------------------------------------------- acceptance

function submit(d: Draft, c: Extract<CaseCommand, { type: 'submit' }>): void {
  const known = new Set(c.matter.requiredMaterials.map((m) => m.code));
  const unknown = c.materials.filter((m) => !known.has(m));
  if (unknown.length)
    throw refusal('unknown_material', `materials not required by matter ${c.matter.code}: ${unknown.join(', ')}`);
  const instruments = submissionInstruments(c);
  d.emit({
    type: 'submitted',
    data: {
      matter: c.matter,
      applicant: c.applicant,
      priority: c.priority,
      materials: [...new Set(c.materials)],
      queryCodeHash: c.queryCodeHash,
      time: timeModelRef(d.ctx.time),
      ...(c.rules ? { rules: c.rules } : {}),
      ...instruments,
    },
  });
  const missing = missingMaterials(d.current);
  if (missing.length) d.emit({ type: 'materials_notice_issued', data: { missing } });
  else accept(d);
}

function missingMaterials(s: CaseState): Material[] {
  const handed = materialsIn(s);
  return s.matter.requiredMaterials.filter((m) => !handed.has(m.code));
}

/** Acceptance starts both clocks and copies the case to every reviewing department at once. */
function accept(d: Draft): void {
  const { time } = d.ctx;
  const now = d.at;
  const m = d.current.matter;
  d.emit({
    type: 'accepted',
    data: {
      deadline: deadlineAfter(time, now, m.timeLimitDays),
      statutoryDeadline: deadlineAfter(time, now, m.statutoryLimitDays),
      calendar: timeModelRef(time),
    },
  });
  const depts = [m.leadDept, ...m.coDepts.filter((c) => c !== m.leadDept)];
  for (const dept of depts) {
    d.emit({
      type: 'copied_to_department',
      data: {
        dept,
        role: dept === m.leadDept ? 'lead' : 'co',
        round: 1,
        dueAt: deadlineAfter(time, now, m.deptReviewDays),
      },
    });
  }
  noticeDeferrals(d);
}

function registerMaterials(d: Draft, c: Extract<CaseCommand, { type: 'register_materials' }>): void {
  requireWindow(d);
  // 容缺受理: after acceptance, the deferred materials are registered like any other.
  if (BEFORE_DECISION.includes(d.current.status) && d.current.status !== 'awaiting_materials')
    if (outstandingDeferred(d.current).length) return supplyDeferred(d, c.materials);
  requireStatus(d, ['awaiting_materials'], 'not_awaiting_materials', 'materials are registered only before acceptance');
  const known = new Set(d.current.matter.requiredMaterials.map((m) => m.code));
  const unknown = c.materials.filter((m) => !known.has(m));
  if (unknown.length) throw refusal('unknown_material', `materials not required by this matter: ${unknown.join(', ')}`);
  const materials = [...new Set(c.materials)];
  const handed = new Set([...materialsIn(d.current), ...materials]);
  const missing = d.current.matter.requiredMaterials.filter((m) => !handed.has(m.code));
  d.emit({ type: 'materials_supplemented', data: { materials, missing } });
  if (!missing.length) accept(d);
}

function refuse(d: Draft, c: Extract<CaseCommand, { type: 'refuse' }>): void {
  requireWindow(d);
  if (CLOSED_UNDECIDED.includes(d.current.status)) throw refusal('case_closed', `the case is ${d.current.status}`);
  requireStatus(d, ['awaiting_materials'], 'case_already_accepted', 'a case can be refused only before acceptance');
  d.emit({ type: 'refused', data: { reason: c.reason } });
}

// ---------------------------------------------------------------- review

function giveOpinion(d: Draft, c: Extract<CaseCommand, { type: 'give_opinion' }>): void {
  const dept = d.ctx.actor.dept;
  const { leadDept, coDepts } = d.current.matter;
  // Reviewing departments are the matter's; a task exists only once the case is accepted, and
  // before that (or after it closes) the refusal is about the state (409), not the department.
  if (d.ctx.actor.role !== 'department' || !dept || (dept !== leadDept && !coDepts.includes(dept))) {
    throw refusal('not_reviewing_department', `department ${dept ?? '?'} does not review this case`);
  }
  const task = d.current.departments.find((t) => t.dept === dept);
  // The legal time of the act is its receipt: received by the task's limit, it is in time even when
  // the limit's timer was applied first (an outage, a backlog of due timers).
  const inTime = task !== undefined && d.ctx.receivedAt !== undefined && d.ctx.receivedAt <= task.dueAt;
  if (task?.status === 'deemed' && inTime) return replaceDeemedOpinion(d, task, c.opinion);
  // While the review is under way (its round may have just moved the case on), answering again is
  // the refusal that explains itself; once the case is past review, the state is.
  const reviewUnderWay = REVIEW_OR_DECIDING.includes(d.current.status);
  if (task?.status === 'deemed' && reviewUnderWay)
    throw refusal('opinion_deemed', `${task.dept}'s opinion of round ${task.round} was deemed (视为同意) at its limit`);
  if (task && task.status !== 'pending' && reviewUnderWay)
    throw refusal('opinion_already_given', `${task.dept} already gave its opinion in round ${task.round}`);
  requireStatus(d, ['in_review'], 'case_not_in_review', `the case is ${d.current.status}, not in review`);
  if (!task) throw refusal('case_not_in_review', `department ${dept} has no task on this case`);
  if (task.status !== 'pending')
    throw refusal('opinion_already_given', `${task.dept} already gave its opinion in round ${task.round}`);
  const opinion = checkOpinion(d.current, task.dept, c.opinion);
  // Under escalate_only the limit's timer marked the task overdue; received in time, that no longer holds.
  const supersedes =
    task.overdue && inTime && task.overdueSeq !== undefined
      ? { seq: task.overdueSeq, type: 'department_overdue' as const, reason: receivedInTime(d, task) }
      : undefined;
  d.emit({
    type: 'opinion_given',
    data: { dept: task.dept, round: task.round, opinion, ...(supersedes ? { supersedes } : {}) },
  });
  settleRound(d);
}

const receivedInTime = (d: Draft, task: DeptTask) =>
  `received ${new Date(d.ctx.receivedAt!).toISOString()}, before the limit ${new Date(task.dueAt).toISOString()}; ` +
  `the limit's consequence was applied after the receipt`;

/**
 * An opinion received by the limit, applied after the limit's deemed consent: it replaces the
 * deemed one, recorded as such, and the round goes on from the real opinion — unless the case has
 * moved past a point that cannot be undone (a decision was taken on the deemed opinion, or the
 * one-time supplement notice has gone out without this request). Then the act is refused with
 * `deadline_passed_unavailable` and the refusal recorded for the supervisors.
 */
function replaceDeemedOpinion(d: Draft, task: DeptTask, given: Opinion): void {
  const s = d.current;
  const opinion = checkOpinion(s, task.dept, given);
  const decidedSince = (s.decidedSeq ?? 0) > (task.deemedSeq ?? 0);
  const noticeOut = s.status === 'suspended' && opinion.verdict === 'request_supplement';
  if (decidedSince || noticeOut || !['in_review', 'deciding', 'suspended'].includes(s.status)) {
    d.emit({
      type: 'late_act_refused',
      data: {
        act: 'give_opinion',
        dept: task.dept,
        round: task.round,
        receivedAt: d.ctx.receivedAt!,
        dueAt: task.dueAt,
        code: 'deadline_passed_unavailable',
        reason: decidedSince
          ? 'a decision was already taken on the deemed opinion'
          : noticeOut
            ? 'the supplement notice was already issued without this request'
            : `the case is ${s.status}`,
      },
    });
    return;
  }
  d.emit({
    type: 'opinion_given',
    data: {
      dept: task.dept,
      round: task.round,
      opinion,
      supersedes: { seq: task.deemedSeq!, type: 'opinion_deemed', reason: receivedInTime(d, task) },
    },
  });
  // The round had settled on the deemed consent; a real request for supplement reopens it.
  if (s.status === 'deciding' && opinion.verdict === 'request_supplement') issueSupplementNotice(d);
  else settleRound(d);
}

/** The refusal a recorded `late_act_refused` stands for. */
export function lateActRefusal(event: Extract<CaseEventBody, { type: 'late_act_refused' }>): DomainError {
  return refusal(
    event.data.code,
    `the opinion was received in time (${new Date(event.data.receivedAt).toISOString()}) but cannot be applied: ${event.data.reason}; the supervisors have been told`,
  );
}

function checkOpinion(s: CaseState, dept: string, o: Opinion): Opinion {
  if (o.verdict === 'approve_with_conditions' && !o.conditions?.some((x) => x.trim()))
    throw refusal('conditions_required', 'approve_with_conditions needs at least one condition');
  if (o.verdict === 'reject' && !(o.reason ?? o.comment)?.trim())
    throw refusal('reason_required', 'a rejecting opinion needs its reason (reason or comment)');
  if (o.verdict === 'request_supplement' && !o.materials?.length)
    throw refusal('materials_required', 'request_supplement needs the materials to supplement');
  for (const fee of o.fees ?? []) {
    const standard = s.matter.fees.find((f) => f.dept === dept && f.item === fee.item);
    if (!standard)
      throw refusal('unknown_fee_item', `fee item "${fee.item}" is not published for ${dept} in this matter`);
    if (fee.amountCents > standard.maxAmountCents)
      throw refusal(
        'fee_above_standard',
        `fee item "${fee.item}" is above its standard of ${standard.maxAmountCents} fen`,
      );
  }
  const items = (o.fees ?? []).map((f) => f.item);
  if (new Set(items).size !== items.length) throw refusal('duplicate_fee_item', 'a fee item may be assessed once');
  return o;
}

/**
 * After any answer (or a limit passing): when every department of the round has answered or is
 * past its limit, either the supplement requests become ONE notice (and the clock stops), or —
 * everyone having answered — the case goes to the lead to decide.
 */
function settleRound(d: Draft): void {
  const s = d.current;
  if (s.status !== 'in_review') return;
  if (s.departments.some((t) => t.status === 'pending' && !t.overdue)) return;
  if (issueSupplementNotice(d)) return;
  if (s.departments.every((t) => t.status !== 'pending')) {
    d.emit({ type: 'review_completed', data: { round: Math.max(...s.departments.map((t) => t.round)) } });
  }
}

/** The round's supplement requests as ONE notice, and the clock stops; false when nobody asked. */
function issueSupplementNotice(d: Draft): boolean {
  const requests = d.current.departments
    .filter((t) => t.status === 'given' && t.opinion?.verdict === 'request_supplement')
    .map((t) => ({ dept: t.dept, materials: t.opinion?.materials ?? [] }));
  if (!requests.length) return false;
  const materials = uniqueBy(
    requests.flatMap((r) => r.materials),
    (m) => m.code,
  );
  d.emit({ type: 'supplement_notice_issued', data: { requests, materials } });
  d.emit({ type: 'clock_suspended', data: { kind: 'supplement', from: d.at } });
  return true;
}

function registerSupplement(d: Draft, c: Extract<CaseCommand, { type: 'register_supplement' }>): void {
  requireWindow(d);
  const s = d.current;
  if (s.status !== 'suspended' || s.suspension?.kind !== 'supplement' || !s.supplement) {
    throw refusal('not_awaiting_supplement', 'no supplement notice is waiting for materials');
  }
  const requested = new Set(s.supplement.requests.flatMap((r) => r.materials.map((m) => m.code)));
  const unknown = c.materials.filter((m) => !requested.has(m));
  if (unknown.length)
    throw refusal('unknown_material', `materials not requested by the supplement notice: ${unknown.join(', ')}`);
  const received = new Set([...s.supplement.received, ...c.materials]);
  const outstanding = [...requested].filter((m) => !received.has(m));
  d.emit({ type: 'supplement_registered', data: { materials: [...new Set(c.materials)], outstanding } });
  if (outstanding.length) return;
  resumeClock(d, 'supplement');
  const asking = s.supplement.requests.map((r) => r.dept);
  for (const task of d.current.departments.filter((t) => asking.includes(t.dept))) {
    d.emit({
      type: 'copied_to_department',
      data: {
        dept: task.dept,
        role: task.role,
        round: task.round + 1,
        dueAt: deadlineAfter(d.ctx.time, d.at, s.matter.deptReviewDays),
      },
    });
  }
}

/** Ends a suspension: both clocks and the open department limits move by the working days in (S, R]. */
function resumeClock(d: Draft, kind: 'supplement' | 'special_procedure'): void {
  const s = d.current;
  const { time } = d.ctx;
  const now = d.at;
  const from = s.suspension!.from;
  const move = (deadline: number) => moveBySuspension(time, deadline, from, now);
  const deptDueAt: Record<string, number> = {};
  for (const t of s.departments.filter((x) => x.status === 'pending')) deptDueAt[t.dept] = move(t.dueAt);
  d.emit({
    type: 'clock_resumed',
    data: {
      kind,
      from,
      to: now,
      workingDays: workingDaysBetween(time, dayOf(time, from), dayOf(time, now)),
      deadline: move(s.deadline!),
      statutoryDeadline: move(s.statutoryDeadline!),
      deptDueAt,
    },
  });
}

// ---------------------------------------------------------------- lead-only steps

function conveneMeeting(d: Draft, c: Extract<CaseCommand, { type: 'convene_meeting' }>): void {
  requireLead(d);
  requireStatus(d, ['in_review'], 'case_not_in_review', 'meetings are convened during review');
  const reviewing = new Set(d.current.departments.map((t) => t.dept));
  const unknown = c.departments.filter((x) => !reviewing.has(x));
  if (unknown.length) throw refusal('unknown_department', `not reviewing this case: ${unknown.join(', ')}`);
  const meetingId = `M${d.current.meetings.length + 1}`;
  d.emit({
    type: 'meeting_convened',
    data: { meetingId, kind: c.kind, scheduledAt: c.scheduledAt, departments: [...new Set(c.departments)] },
  });
}

function recordMinutes(d: Draft, c: Extract<CaseCommand, { type: 'record_minutes' }>): void {
  requireLead(d);
  const meeting = d.current.meetings.find((m) => m.id === c.meetingId);
  if (!meeting) throw refusal('meeting_not_found', `no meeting ${c.meetingId} on this case`);
  requireStatus(d, ['in_review'], 'case_not_in_review', 'minutes are recorded during review');
  if (meeting.findings) throw refusal('minutes_already_recorded', `minutes of ${c.meetingId} are already recorded`);
  const reviewing = new Set(d.current.departments.map((t) => t.dept));
  const unknown = c.findings.map((f) => f.dept).filter((x) => !reviewing.has(x));
  if (unknown.length) throw refusal('unknown_department', `not reviewing this case: ${unknown.join(', ')}`);
  d.emit({ type: 'minutes_recorded', data: { meetingId: c.meetingId, findings: c.findings } });
}

function startSpecialProcedure(d: Draft, c: Extract<CaseCommand, { type: 'start_special_procedure' }>): void {
  requireLead(d);
  requireStatus(d, ['in_review'], 'case_not_in_review', 'a special procedure starts during review');
  const procedureId = `P${d.current.procedures.length + 1}`;
  d.emit({ type: 'special_procedure_started', data: { procedureId, kind: c.kind, reason: c.reason } });
  d.emit({ type: 'clock_suspended', data: { kind: 'special_procedure', from: d.at } });
}

function endSpecialProcedure(d: Draft, c: Extract<CaseCommand, { type: 'end_special_procedure' }>): void {
  requireLead(d);
  const procedure = d.current.procedures.find((p) => p.id === c.procedureId);
  if (!procedure) throw refusal('procedure_not_found', `no special procedure ${c.procedureId} on this case`);
  if (procedure.endedAt !== undefined) throw refusal('procedure_already_ended', `${c.procedureId} has already ended`);
  requireStatus(d, ['suspended'], 'case_not_suspended', 'the case is not suspended');
  d.emit({ type: 'special_procedure_ended', data: { procedureId: c.procedureId, outcome: c.outcome } });
  if (!d.current.procedures.some((p) => p.endedAt === undefined)) resumeClock(d, 'special_procedure');
}

function decideCase(d: Draft, c: Extract<CaseCommand, { type: 'decide' }>): void {
  requireLead(d);
  const s = d.current;
  if (UNDER_REVIEW.includes(s.status)) throw refusal('opinions_pending', 'not every department has given its opinion');
  requireStatus(d, ['deciding'], 'case_not_deciding', `the case is ${s.status}, not waiting for a decision`);
  if (c.decision === 'reject') {
    if (!c.reason?.trim()) throw refusal('reason_required', 'a rejection needs its reason');
    const negativeReviewDueAt = deadlineAfter(d.ctx.time, d.at, NEGATIVE_REVIEW_DAYS);
    d.emit({
      type: 'decided',
      data: {
        decision: 'reject',
        reason: c.reason,
        legalBasis: c.legalBasis,
        overruled: [],
        conditions: [],
        negativeReviewDueAt,
      },
    });
    return;
  }
  requireNoDeferralOutstanding(s);
  const rejecting = s.departments.filter((t) => t.opinion?.verdict === 'reject').map((t) => t.dept);
  if (rejecting.length && !c.overruleReason?.trim()) {
    throw refusal(
      'rejecting_opinion_stands',
      `approving over the rejection of ${rejecting.join(', ')} needs an overruleReason`,
    );
  }
  const conditions = [...new Set(s.departments.flatMap((t) => t.opinion?.conditions ?? []))];
  d.emit({
    type: 'decided',
    data: {
      decision: 'approve',
      reason: c.reason,
      legalBasis: c.legalBasis,
      overruleReason: rejecting.length ? c.overruleReason : undefined,
      overruled: rejecting,
      conditions,
    },
  });
  assignVerification(d);
  const items: DeptFee[] = s.departments.flatMap((t) => (t.opinion?.fees ?? []).map((f) => ({ dept: t.dept, ...f })));
  const totalCents = items.reduce((sum, f) => sum + f.amountCents, 0);
  if (totalCents === 0) return complete(d);
  const windowMs = s.matter.paymentDays * calendarDayMs(d.ctx.time);
  d.emit({
    type: 'payment_notice_issued',
    data: { items, totalCents, remindAt: d.at + windowMs / 2, dueAt: d.at + windowMs },
  });
}

// ---------------------------------------------------------------- after the decision

function reviewNegativeFiling(d: Draft, c: Extract<CaseCommand, { type: 'review_negative_filing' }>): void {
  requireRole(d, 'supervisor');
  requireStatus(d, ['negative_review'], 'not_in_negative_review', 'no rejection is waiting for review');
  if (c.outcome === 'overturn') {
    if (!c.note?.trim()) throw refusal('note_required', 'overturning a rejection needs a note for the lead');
    d.emit({ type: 'negative_filing_reviewed', data: { outcome: 'overturn', note: c.note } });
    return;
  }
  const lateness = latenessAtDecision(d.current, d.ctx.time);
  d.emit({
    type: 'negative_filing_reviewed',
    data: {
      outcome: 'confirm',
      note: c.note ?? '',
      lateWorkingDays: lateness.late,
      statutoryLateWorkingDays: lateness.statutoryLate,
    },
  });
}

function confirmPayment(d: Draft, c: Extract<CaseCommand, { type: 'confirm_payment' }>): void {
  requireWindow(d);
  const s = d.current;
  if (s.fees.paymentRef === c.paymentRef) return; // the same confirmation again: already done
  if (s.status !== 'awaiting_payment')
    throw refusal('not_awaiting_payment', `the case is ${s.status}, not awaiting payment`);
  if (c.amountCents !== s.fees.totalCents)
    throw refusal('amount_mismatch', `the payment must be exactly ${s.fees.totalCents} fen`);
  const split = new Map<string, number>();
  for (const f of s.fees.items) split.set(f.dept, (split.get(f.dept) ?? 0) + f.amountCents);
  d.emit({
    type: 'payment_confirmed',
    data: {
      paymentRef: c.paymentRef,
      amountCents: c.amountCents,
      split: [...split].map(([dept, amountCents]) => ({ dept, amountCents })),
    },
  });
  complete(d);
}

function complete(d: Draft): void {
  const s = d.current;
  const lateness = latenessAtDecision(s, d.ctx.time);
  d.emit({
    type: 'completed',
    data: {
      resultNumber: `XK${s.caseNo.replace(/\D/g, '')}`,
      onTime: lateness.late === 0,
      lateWorkingDays: lateness.late,
      statutoryLateWorkingDays: lateness.statutoryLate,
      usedWorkingDays: lateness.used,
    },
  });
}

// ---------------------------------------------------------------- supervision and withdrawal

function urge(d: Draft, c: Extract<CaseCommand, { type: 'urge' }>): void {
  requireRole(d, 'supervisor');
  requireBeforeDecision(d);
  d.emit({ type: 'urged', data: { message: c.message, depts: blockingDepts(d.current) } });
}

function extend(d: Draft, c: Extract<CaseCommand, { type: 'extend' }>): void {
  requireRole(d, 'supervisor');
  requireBeforeDecision(d);
  const s = d.current;
  if (s.deadline === undefined || s.statutoryDeadline === undefined)
    throw refusal('clock_not_started', 'the case has not been accepted yet');
  if (!Number.isInteger(c.workingDays) || c.workingDays < 1)
    throw refusal('invalid_extension', 'workingDays must be a positive whole number');
  const totalDays = s.extensionDays + c.workingDays;
  if (totalDays > MAX_EXTENSION_DAYS)
    throw refusal(
      'extension_limit',
      `extensions may total at most ${MAX_EXTENSION_DAYS} working days (${s.extensionDays} granted)`,
    );
  const { time } = d.ctx;
  const now = d.at;
  const deadline = extendDeadline(time, s.deadline, c.workingDays);
  const alert: Alert =
    now >= deadline ? 'red' : now >= warningAt(time, deadline, s.matter.warnDays) ? 'yellow' : 'none';
  d.emit({
    type: 'extension_granted',
    data: {
      workingDays: c.workingDays,
      reason: c.reason,
      totalDays,
      deadline,
      statutoryDeadline: extendDeadline(time, s.statutoryDeadline, c.workingDays),
      alert,
    },
  });
}

function withdraw(d: Draft, c: Extract<CaseCommand, { type: 'withdraw' }>): void {
  requireWindow(d);
  requireBeforeDecision(d);
  d.emit({ type: 'withdrawn', data: { reason: c.reason } });
}

/** Departments holding the case up (urges and case escalations name them). */
function blockingDepts(s: CaseState): string[] {
  const pending = s.departments.filter((t) => t.status === 'pending').map((t) => t.dept);
  return whoBlocks({ status: s.status, lead: s.matter.leadDept, pending }, { whileSuspended: false });
}

// ---------------------------------------------------------------- timers

/** Fires every timer due at `now`, earliest first, re-reading the state after each. */
function tick(d: Draft): void {
  for (let guard = 0; guard < 100; guard++) {
    const due = armedTimers(d.current, d.ctx.time)
      .filter((t) => t.at <= d.ctx.now)
      .sort((a, b) => a.at - b.at)[0];
    if (!due) return;
    d.effectiveAt = due.at;
    fire(d, due);
    d.effectiveAt = undefined;
  }
}

function fire(d: Draft, timer: Timer): void {
  const s = d.current;
  const task = s.departments.find((t) => t.dept === timer.dept);
  switch (timer.kind) {
    case 'case_warn':
      return d.emit({ type: 'case_warned', data: { deadline: s.deadline!, remainingWorkingDays: s.matter.warnDays } });
    case 'case_overdue':
      d.emit({ type: 'case_overdue', data: { deadline: s.deadline! } });
      return d.emit({
        type: 'escalated',
        data: { scope: 'case', depts: blockingDepts(s), reason: 'case past its promised deadline' },
      });
    case 'case_escalate':
      return d.emit({
        type: 'escalated',
        data: { scope: 'case', depts: blockingDepts(s), reason: 'case still past its promised deadline' },
      });
    case 'dept_warn':
      return d.emit({ type: 'department_warned', data: { dept: task!.dept, round: task!.round, dueAt: task!.dueAt } });
    case 'dept_overdue':
      return deptOverdue(d, task!);
    case 'dept_escalate':
      return d.emit({
        type: 'escalated',
        data: { scope: 'department', depts: [task!.dept], reason: `${task!.dept} still has not given its opinion` },
      });
    case 'negative_overdue':
    case 'negative_escalate':
      return d.emit({
        type: 'escalated',
        data: { scope: 'negative_review', depts: [], reason: 'negative filing not reviewed within 3 working days' },
      });
    case 'payment_remind':
      return d.emit({ type: 'payment_reminded', data: { dueAt: s.fees.dueAt! } });
    case 'payment_expire':
      return d.emit({ type: 'terminated', data: { reason: 'payment window ended unpaid' } });
    case 'remediation_overdue':
    case 'remediation_escalate':
      return d.emit({
        type: 'escalated',
        data: {
          scope: 'remediation',
          depts: [s.remediation!.dept],
          reason: `${s.remediation!.dept} has not remediated the bad review within the time limit`,
        },
      });
    case 'deferral_expire':
      return terminateForDeferral(d);
    case 'verification_overdue':
    case 'verification_escalate':
      return d.emit({
        type: 'escalated',
        data: {
          scope: 'verification',
          depts: [s.verification!.dept],
          reason: `commitments not verified by ${s.verification!.dept} within the time limit`,
        },
      });
  }
}

/** At a department's limit: escalate, and under `deemed_approve` also record its silence as consent (视为同意). */
function deptOverdue(d: Draft, task: DeptTask): void {
  d.emit({ type: 'department_overdue', data: { dept: task.dept, round: task.round, dueAt: task.dueAt } });
  d.emit({
    type: 'escalated',
    data: { scope: 'department', depts: [task.dept], reason: `${task.dept} passed its review limit` },
  });
  if (d.current.matter.silencePolicy === 'deemed_approve') {
    d.emit({
      type: 'opinion_deemed',
      data: {
        dept: task.dept,
        round: task.round,
        verdict: 'approve',
        note: '视为同意 (deemed consent: no opinion within the time limit)',
      },
    });
  }
  settleRound(d);
}

// ---------------------------------------------------------------- guards

function requireStatus(d: Draft, allowed: readonly CaseState['status'][], code: RefusalCode, message: string): void {
  if (!allowed.includes(d.current.status)) throw refusal(code, message);
}

function requireBeforeDecision(d: Draft): void {
  const status = d.current.status;
  if (BEFORE_DECISION.includes(status)) return;
  if (CLOSED_UNDECIDED.includes(status)) throw refusal('case_closed', `the case is ${status}`);
  throw refusal('case_already_decided', 'the case has already been decided');
}

function requireRole(d: Draft, role: 'window' | 'supervisor'): void {
  if (d.ctx.actor.role !== role) throw refusal('forbidden_role', `only the ${role} may do this`);
}

function requireWindow(d: Draft): void {
  requireRole(d, 'window');
}

function requireLead(d: Draft): void {
  const { role, dept } = d.ctx.actor;
  if (role !== 'department' || dept !== d.current.matter.leadDept)
    throw refusal('not_lead_department', 'only the lead department may do this');
}

function calendarDayMs(time: TimeModel): number {
  return time.kind === 'demo' ? time.dayMs : 86_400_000;
}

function uniqueBy<T>(items: T[], key: (t: T) => string): T[] {
  const seen = new Map<string, T>();
  for (const item of items) if (!seen.has(key(item))) seen.set(key(item), item);
  return [...seen.values()];
}
