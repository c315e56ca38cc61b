/**
 * Given / when / then for the pure domain core.
 *
 *   const state = given([...accepted(), opinion('FIRE', APPROVE, day(1))]);
 *   const outcome = when(state, { type: 'give_opinion', opinion: APPROVE }, dept('ENV'), day(2));
 *   expect(types(outcome)).toEqual(['opinion_given', 'review_completed']);
 *   refused(when(...), 409, 'opinion_already_given');   // status, code, and nothing emitted
 *
 * `given` wraps event bodies with `envelope` and folds them with `fold`; `when` runs `decide` and
 * returns the event bodies, or the DomainError it threw (and then no events).
 */
import { expect } from 'vitest';
import { deadlineAfter, parseDateOrInstant, type TimeModel } from '../../../domain/calendar';
import { SHIPPED_CALENDAR } from '../../../domain/calendar-data';
import type { CaseCommand } from '../../../domain/commands';
import { applyCommand } from '../../../domain/apply';
import { envelope } from '../../../domain/draft';
import { DomainError } from '../../../domain/errors';
import { REFUSAL_STATUS } from '../../../api/refusal-status';
import type { CaseEvent, CaseEventBody, CaseEventType } from '../../../domain/events';
import { fold } from '../../../domain/evolve';
import {
  SYSTEM_ACTOR,
  timeModelRef,
  type Actor,
  type CaseRules,
  type CaseState,
  type MatterSnapshot,
  type Opinion,
} from '../../../domain/types';

// ------------------------------------------------------------------ time

export const DAY = 86_400_000;
export const HOUR = 3_600_000;
/** Every day a working day, day n = [n·DAY, (n+1)·DAY). */
export const DEMO: TimeModel = { kind: 'demo', epochMs: 0, dayMs: DAY };
/** The real working calendar shipped with the system (2024–2026). */
export const CAL: TimeModel = { kind: 'calendar', calendar: SHIPPED_CALENDAR };

/** Demo instant: day n at `hour` o'clock. */
export const day = (n: number, hour = 9): number => n * DAY + hour * HOUR;
/** Start (00:00) of demo day n; also "24:00 of day n-1", i.e. a deadline whose last counted day is n-1. */
export const dayStart = (n: number): number => n * DAY;
/** Shanghai instant from 'YYYY-MM-DD' (00:00) or 'YYYY-MM-DDTHH:mm'. */
export const sh = (local: string): number => {
  const ms = parseDateOrInstant(local.length === 10 ? local : `${local}:00+08:00`);
  if (ms === null) throw new Error(`bad test instant ${local}`);
  return ms;
};

// ------------------------------------------------------------------ actors

export const WINDOW: Actor = { sub: 'w1', role: 'window', dept: 'WIN', name: '窗口甲' };
export const SUPERVISOR: Actor = { sub: 's1', role: 'supervisor', name: '督查' };
export const ADMIN: Actor = { sub: 'a1', role: 'admin', name: '管理员' };
export const SYSTEM = SYSTEM_ACTOR;
export const dept = (code: string, sub = `u-${code.toLowerCase()}`): Actor => ({ sub, role: 'department', dept: code });

// ------------------------------------------------------------------ the matter

export const LEAD = 'PLAN';
export const CO = ['FIRE', 'ENV'] as const;
export const ALL_DEPTS = [LEAD, ...CO];

export const MATTER: MatterSnapshot = {
  code: 'M-BUILD',
  name: '建设工程规划许可',
  leadDept: LEAD,
  coDepts: [...CO],
  requiredMaterials: [
    { code: 'A', name: '申请表' },
    { code: 'B', name: '设计图纸' },
    { code: 'C', name: '土地证明' },
  ],
  timeLimitDays: 10,
  statutoryLimitDays: 45,
  deptReviewDays: 5,
  warnDays: 2,
  silencePolicy: 'deemed_approve',
  fees: [
    { dept: 'PLAN', item: 'plan_fee', maxAmountCents: 100_000 },
    { dept: 'PLAN', item: 'plan_map', maxAmountCents: 20_000 },
    { dept: 'FIRE', item: 'fire_check', maxAmountCents: 50_000 },
    { dept: 'ENV', item: 'env_fee', maxAmountCents: 30_000 },
  ],
  paymentDays: 10,
};
export const matter = (over: Partial<MatterSnapshot> = {}): MatterSnapshot => ({ ...MATTER, ...over });
export const ALL_MATERIALS = MATTER.requiredMaterials.map((m) => m.code);
export const APPLICANT = { name: '某某建设有限公司', phone: '13800000000' };
export const CASE_NO = 'JA2026-000001';

export const APPROVE: Opinion = { verdict: 'approve', comment: '同意' };
export const withConditions = (...conditions: string[]): Opinion => ({
  verdict: 'approve_with_conditions',
  conditions,
  comment: '有条件同意',
});
export const reject = (comment = '不符合规划条件'): Opinion => ({ verdict: 'reject', comment });
export const supplement = (...codes: string[]): Opinion => ({
  verdict: 'request_supplement',
  materials: codes.map((code) => ({ code, name: `材料${code}` })),
  comment: '请补正',
});

// ------------------------------------------------------------------ given

/** An event body as it happened: when, and (optionally) by whom. */
export type GivenEvent = CaseEventBody & { at: number; actor?: Actor; receivedAt?: number };

function defaultActor(body: CaseEventBody): Actor {
  switch (body.type) {
    case 'opinion_given':
      return dept(body.data.dept);
    case 'decided':
    case 'meeting_convened':
    case 'minutes_recorded':
    case 'special_procedure_started':
    case 'special_procedure_ended':
      return dept(LEAD);
    case 'urged':
    case 'extension_granted':
    case 'negative_filing_reviewed':
      return SUPERVISOR;
    case 'submitted':
    case 'materials_notice_issued':
    case 'materials_supplemented':
    case 'accepted':
    case 'refused':
    case 'copied_to_department':
    case 'supplement_registered':
    case 'payment_confirmed':
    case 'withdrawn':
      return WINDOW;
    default:
      return SYSTEM;
  }
}

/** The state after these events: each body is wrapped by `envelope` (seq, time, actor) and folded. */
export function given(
  events: readonly GivenEvent[],
  opts: { caseNo?: string; time?: TimeModel; from?: CaseState } = {},
): CaseState {
  const caseNo = opts.caseNo ?? opts.from?.caseNo ?? CASE_NO;
  const time = opts.time ?? DEMO;
  let state = opts.from;
  for (const { at, actor, receivedAt, ...body } of events) {
    const wrapped = envelope(state, caseNo, [body as CaseEventBody], {
      now: at,
      actor: actor ?? defaultActor(body as CaseEventBody),
      time,
      ...(receivedAt === undefined ? {} : { receivedAt }),
    });
    state = fold(wrapped, state);
  }
  if (!state) throw new Error('given: no events');
  return state;
}

// ------------------------------------------------------------------ when / then

export interface Outcome {
  /** Event bodies decided (empty when refused). */
  events: CaseEventBody[];
  /** The same events as they would be stored. */
  envelopes: CaseEvent[];
  /** The refusal, if any. */
  error?: DomainError;
  /** The state after the events (unchanged when refused). */
  state: CaseState | undefined;
}

/**
 * Runs `decide`: the events, or the DomainError it threw. Any other error is a bug and propagates.
 * `at` is when the command is applied; `receivedAt` when the API received it (default: not stamped).
 */
export function when(
  state: CaseState | undefined,
  command: CaseCommand,
  actor: Actor,
  at: number,
  time: TimeModel = DEMO,
  opts: { receivedAt?: number } = {},
): Outcome {
  const ctx = { now: at, actor, time, legalTimes: true, ...opts };
  const caseNo = command.type === 'submit' ? command.caseNo : CASE_NO;
  try {
    const applied = applyCommand(command, state, caseNo, ctx);
    return { events: applied.bodies, envelopes: applied.events, state: applied.state };
  } catch (e) {
    if (e instanceof DomainError) return { events: [], envelopes: [], error: e, state };
    throw e;
  }
}

/** The state after a command that must succeed. */
export function after(
  state: CaseState | undefined,
  command: CaseCommand,
  actor: Actor,
  at: number,
  time: TimeModel = DEMO,
): CaseState {
  const o = when(state, command, actor, at, time);
  if (o.error) throw new Error(`expected ${command.type} to succeed, refused ${o.error.code}: ${o.error.message}`);
  if (!o.state) throw new Error('no state');
  return o.state;
}

/** Runs a series of commands that must all succeed. */
export function play(
  state: CaseState | undefined,
  steps: readonly [CaseCommand, Actor, number][],
  time: TimeModel = DEMO,
): CaseState {
  let s = state;
  for (const [command, actor, at] of steps) s = after(s, command, actor, at, time);
  if (!s) throw new Error('no state');
  return s;
}

/** Then: the command was refused with this code (answered with this HTTP status), and nothing was emitted or changed. */
export function refused(outcome: Outcome, status: number, code: string): void {
  expect(outcome.error, `expected a refusal ${status} ${code}, got events ${types(outcome).join(', ')}`).toBeInstanceOf(
    DomainError,
  );
  const error = outcome.error as DomainError;
  expect({ status: REFUSAL_STATUS[error.code], code: error.code }).toEqual({ status, code });
  expect(outcome.events).toEqual([]);
  expect(outcome.envelopes).toEqual([]);
}

/** Then: the command succeeded; returns its events. */
export function succeeded(outcome: Outcome): CaseEventBody[] {
  expect(outcome.error, outcome.error ? `refused ${outcome.error.code}: ${outcome.error.message}` : '').toBeUndefined();
  return outcome.events;
}

export const types = (outcome: Outcome | readonly CaseEventBody[]): CaseEventType[] =>
  ('events' in outcome ? outcome.events : outcome).map((e) => e.type);

export type DataOf<T extends CaseEventType> = Extract<CaseEventBody, { type: T }>['data'];

/** The data of the only event of that type (fails when there is none or several). */
export function one<T extends CaseEventType>(outcome: Outcome, type: T): DataOf<T> {
  const found = all(outcome, type);
  expect(found, `exactly one ${type} among ${types(outcome).join(', ')}`).toHaveLength(1);
  return found[0]!;
}

/** The data of every event of that type, in order. */
export function all<T extends CaseEventType>(outcome: Outcome, type: T): DataOf<T>[] {
  return outcome.events.filter((e) => e.type === type).map((e) => e.data as unknown as DataOf<T>);
}

export function stateOf(outcome: Outcome): CaseState {
  if (!outcome.state) throw new Error('no state');
  return outcome.state;
}

// ------------------------------------------------------------------ event bodies for `given`

export function submittedEvent(
  at: number,
  opts: { matter?: MatterSnapshot; materials?: string[]; time?: TimeModel; rules?: CaseRules } = {},
): GivenEvent {
  const m = opts.matter ?? MATTER;
  return {
    type: 'submitted',
    data: {
      matter: m,
      applicant: APPLICANT,
      priority: 'normal',
      materials: opts.materials ?? m.requiredMaterials.map((x) => x.code),
      queryCodeHash: 'hash-of-query-code',
      time: timeModelRef(opts.time ?? DEMO),
      ...(opts.rules ? { rules: opts.rules } : {}),
    },
    at,
    actor: WINDOW,
  };
}

/** Submitted complete and accepted at `at`: both clocks started, every department copied in round 1. */
export function acceptedCase(
  at = day(0),
  opts: { matter?: MatterSnapshot; time?: TimeModel; rules?: CaseRules } = {},
): GivenEvent[] {
  const m = opts.matter ?? MATTER;
  const time = opts.time ?? DEMO;
  const depts = [m.leadDept, ...m.coDepts.filter((c) => c !== m.leadDept)];
  return [
    submittedEvent(at, { matter: m, time, rules: opts.rules }),
    {
      type: 'accepted',
      data: {
        deadline: deadlineAfter(time, at, m.timeLimitDays),
        statutoryDeadline: deadlineAfter(time, at, m.statutoryLimitDays),
        calendar: timeModelRef(time),
      },
      at,
      actor: WINDOW,
    },
    ...depts.map((d): GivenEvent => ({
      type: 'copied_to_department',
      data: {
        dept: d,
        role: d === m.leadDept ? 'lead' : 'co',
        round: 1,
        dueAt: deadlineAfter(time, at, m.deptReviewDays),
      },
      at,
      actor: WINDOW,
    })),
  ];
}

export const opinionGiven = (d: string, opinion: Opinion, at: number, round = 1): GivenEvent => ({
  type: 'opinion_given',
  data: { dept: d, round, opinion },
  at,
  actor: dept(d),
});
export const reviewCompleted = (at: number, round = 1): GivenEvent => ({
  type: 'review_completed',
  data: { round },
  at,
  actor: SYSTEM,
});

/** Accepted at day 0, every department gave `opinions[dept]` (approve by default) on day 2: deciding. */
export function decidingCase(
  opinions: Partial<Record<string, Opinion>> = {},
  opts: { matter?: MatterSnapshot } = {},
): GivenEvent[] {
  const m = opts.matter ?? MATTER;
  const depts = [m.leadDept, ...m.coDepts];
  return [
    ...acceptedCase(day(0), { matter: m }),
    ...depts.map((d) => opinionGiven(d, opinions[d] ?? APPROVE, day(2))),
    reviewCompleted(day(2)),
  ];
}

export const decideCmd = (
  decision: 'approve' | 'reject',
  extra: { reason?: string; legalBasis?: string; overruleReason?: string } = {},
): CaseCommand => ({ type: 'decide', decision, ...extra });
export const opinionCmd = (opinion: Opinion): CaseCommand => ({ type: 'give_opinion', opinion });
export const submitCmd = (materials: string[], m: MatterSnapshot = MATTER, caseNo = CASE_NO): CaseCommand => ({
  type: 'submit',
  caseNo,
  matter: m,
  applicant: APPLICANT,
  priority: 'normal',
  materials,
  queryCodeHash: 'hash-of-query-code',
});
export const TICK: CaseCommand = { type: 'tick' };
