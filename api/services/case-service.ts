import { randomUUID } from 'node:crypto';
import { WithStartWorkflowOperation, WorkflowUpdateRPCTimeoutOrCancelledError, type Client } from '@temporalio/client';
import { WorkflowNotFoundError, type SearchAttributePair } from '@temporalio/common';
import type { Db } from '../../db';
import { currentCalendar, resolveTimeModel } from '../../db/repositories/calendars';
import { caseRequestByCaseNo, receiveSubmission } from '../../db/repositories/case-requests';
import { recordedByUpdate } from '../../db/repositories/case-events';
import { caseState } from '../../db/repositories/cases';
import { submissionReferences } from '../../db/repositories/catalog';
import {
  answerReceipt,
  receiptByKey,
  receiveCaseCommand,
  type CommandReceipt,
} from '../../db/repositories/command-receipts';
import type { TimeModel } from '../../domain/calendar';
import { applyCommand } from '../../domain/apply';
import { decide, lateActRefusal } from '../../domain/decide';
import { DomainError, refusal } from '../../domain/errors';
import { SUPERVISORS } from '../../domain/notifications';
import { isRefusalCode, REFUSAL_STATUS } from '../refusal-status';
import type { Actor, CaseState, Priority } from '../../domain/types';
import {
  commandUpdate,
  recordedStateUpdate,
  type CaseWorkflowInput,
  type SubmitCommand,
  type UserCommand,
} from '../../workflows/definitions';
import { CURRENT_PATCH_SET } from '../../workflows/patches';
import { startSearchAttributes } from '../../workflows/search-attributes';
import { caseNotFound, HttpProblem, problemBody } from '../problem';
import { hashQueryCode, newQueryCode, SEALED_CODE_RETENTION_MS, sealQueryCode, unsealQueryCode } from '../query-codes';
import { ServiceUnavailable, unavailableOf } from '../unavailable';
import { updateFailure, updateNotPerformed } from './update-errors';
import { commandAnswer, submissionAnswer, type CommandRoute } from './answers';

export interface CaseServiceDeps {
  db: Db;
  temporal: Client;
  taskQueue: string;
  /** The server key of the query codes' hash (QUERY_CODE_KEY). */
  queryCodeKey: string;
  /** The demo clock, when DEMO_DAY_SECONDS is set. */
  demo?: { epochMs: number; dayMs: number };
  now?: () => number;
  /** How long a request waits for its case's workflow before answering 503 (COMMAND_WAIT_MS). */
  commandWaitMs?: number;
}

export interface SubmitRequest {
  matterCode: string;
  applicant: { name: string; idNumber?: string; phone?: string; creditRestricted?: boolean };
  materials: string[];
  priority?: Priority;
  idempotencyKey?: string;
  deferredMaterials?: string[];
  promise?: { text: string; signedBy: string };
  commitments?: string[];
}

/** How a command came in: who sent it (the key's scope), its key, its fingerprint, and when. */
export interface Receiving {
  scope: string;
  /** The Idempotency-Key header, or for submissions the body's idempotencyKey; absent: a key of our own. */
  key?: string;
  /** The key came as the Idempotency-Key header: a repeat replays the original status too. */
  keyFromHeader: boolean;
  fingerprint: string;
  /** When the API received the request (server clock): the legal time of the act. */
  receivedAt: number;
}

export interface Answer {
  status: number;
  body: unknown;
  /** A repeat answered from the receipt, not by acting again. */
  replayed: boolean;
}

type SubmitPayload = { input?: CaseWorkflowInput };

/**
 * What the request that received a submission knows beside its receipt: that it is fresh (no earlier
 * attempt can have started it), and the search attributes its checked state gives. The receipt
 * applier knows neither, and starts a case as before.
 */
interface SubmissionStart {
  fresh?: boolean;
  searchAttributes?: SearchAttributePair[];
}
type CommandPayload = { command: UserCommand; actor: Actor };

/**
 * The query code a repeated submission may carry again: the key is the caller's own (callerScope),
 * so only the window that submitted gets here; it gets the code back from its sealed copy within a
 * day, after that none (it issues a new one: POST /api/cases/:caseNo/query-code).
 */
function replayedCode(
  request: { query_code_sealed: string | null; created_at: unknown },
  key: string,
  now: number,
): string | undefined {
  const fresh = now - new Date(request.created_at as Date).getTime() < SEALED_CODE_RETENTION_MS;
  return fresh && request.query_code_sealed ? unsealQueryCode(key, request.query_code_sealed) : undefined;
}

/** The caller an idempotency key belongs to: another window (or user) reusing it is another request. */
export const callerScope = (actor: Actor) => `${actor.role}:${actor.dept ?? ''}:${actor.sub}`;

/**
 * Talks to the case workflows: starts them (workflow id = case number) and sends them commands.
 * Every command is first durably received in PostgreSQL (command_receipts) with its receipt time,
 * then sent as a Workflow Update whose id is the receipt's, so that sending it again — a retry with
 * the same key, or the receipt applier after an outage — applies it at most once, judged as of its
 * receipt. The answer is stored with the receipt and replayed to repeats.
 */
export function createCaseService(deps: CaseServiceDeps) {
  const now = deps.now ?? Date.now;
  const waitMs = deps.commandWaitMs ?? 10_000;

  async function timeModel(): Promise<TimeModel> {
    if (deps.demo) return { kind: 'demo', ...deps.demo };
    return { kind: 'calendar', calendar: await currentCalendar(deps.db) };
  }

  /**
   * A call to the workflow service, bounded only loosely (so that an overloaded server is not kept
   * busy with calls nobody waits for): the caller's wait is bounded separately, in `settle`.
   */
  async function workflowCall<T>(call: () => Promise<T>): Promise<T> {
    const deadline = Date.now() + Math.max(60_000, waitMs * 6);
    for (let attempt = 1; ; attempt++) {
      try {
        return await deps.temporal.connection.withDeadline(deadline, call);
      } catch (err) {
        if (err instanceof WorkflowUpdateRPCTimeoutOrCancelledError)
          throw new ServiceUnavailable('temporal', 'no answer from the workflow service');
        if (!updateNotPerformed(err)) throw err;
        // The server handed the Update to a workflow task the worker then lost (a task superseded
        // while its local activity ran, or a worker killed with it): never judged, so sent again,
        // same id, until the call's deadline. Had that task recorded the act, the case adopts it and
        // the Update answers from it (case-workflow.ts). Past the deadline the receipt stays pending
        // for the receipt applier: an outage to the caller, never an error.
        const pause = Math.min(UNPERFORMED_UPDATE_FIRST_PAUSE_MS * 2 ** attempt, UNPERFORMED_UPDATE_MAX_PAUSE_MS);
        if (Date.now() + pause >= deadline)
          throw new ServiceUnavailable('temporal', 'the workflow service could not hand the command to its case yet');
        await new Promise((r) => setTimeout(r, pause));
      }
    }
  }

  /** Applications of receipts under way in this process: a retry joins its first attempt. */
  const inFlight = new Map<string, Promise<{ status: number; body: unknown }>>();

  async function submit(req: SubmitRequest, actor: Actor, rcv: Receiving): Promise<Answer> {
    // The matter and (unless the demo clock counts) the calendar in force, in one statement.
    const refs = await submissionReferences(deps.db, req.matterCode, !deps.demo);
    const matter = refs.matter;
    if (!matter) throw refusal('unknown_matter', `matter ${req.matterCode} is not in the catalog`);
    const time: TimeModel = deps.demo ? { kind: 'demo', ...deps.demo } : { kind: 'calendar', calendar: refs.calendar! };
    const submission = (caseNo: string): SubmitCommand => ({
      type: 'submit',
      caseNo,
      matter,
      applicant: req.applicant,
      priority: req.priority ?? 'normal',
      materials: req.materials,
      ...(req.deferredMaterials?.length ? { deferredMaterials: req.deferredMaterials } : {}),
      ...(req.promise ? { promise: req.promise } : {}),
      ...(req.commitments?.length ? { commitments: req.commitments } : {}),
    });
    // Refuse bad input before a case number is spent: the same rules the workflow will run. The
    // state they give sets the workflow's search attributes from its start (its first batch then
    // upserts only what came out otherwise).
    const checked = applyCommand(submission('JA-CHECK'), undefined, 'JA-CHECK', { now: now(), time, actor }).state;
    const key = rcv.key ?? randomUUID();
    // The receipt, the case number and the case request in one statement: a number is spent only
    // on a recorded submission. The query code is kept only as a keyed, salted hash, and sealed for
    // a day's replays to this caller (api/query-codes.ts).
    const newCode = newQueryCode();
    const id = randomUUID();
    const input: CaseWorkflowInput = {
      submission: submission(''),
      actor,
      time,
      receivedAt: rcv.receivedAt,
      patchSet: CURRENT_PATCH_SET,
    };
    const caseNo = await receiveSubmission(deps.db, {
      id,
      scope: rcv.scope,
      key,
      fingerprint: rcv.fingerprint,
      payload: { input } satisfies SubmitPayload,
      caseNoPath: ['input', 'submission', 'caseNo'],
      receivedAt: rcv.receivedAt,
      codeHash: hashQueryCode(deps.queryCodeKey, newCode),
      sealedCode: sealQueryCode(deps.queryCodeKey, newCode),
    });
    const fresh = caseNo !== undefined;
    const receipt: CommandReceipt | undefined = fresh
      ? {
          id,
          scope: rcv.scope,
          key,
          route: 'submit',
          fingerprint: rcv.fingerprint,
          caseNo,
          payload: { input: { ...input, submission: { ...input.submission, caseNo } } } satisfies SubmitPayload,
          receivedAt: rcv.receivedAt,
        }
      : await receiptByKey(deps.db, rcv.scope, key);
    if (!receipt) throw new Error(`submission under key ${key} neither received nor found (no case number counter?)`);
    refuseReuse(receipt, rcv);
    const answer =
      receipt.answer ??
      (await settle(
        receipt,
        fresh ? { fresh, ...(checked ? { searchAttributes: startSearchAttributes(checked) } : {}) } : {},
      ));
    // Only the caller that created the case gets its query code back (the key is that caller's).
    const request = receipt.caseNo && !fresh ? await caseRequestByCaseNo(deps.db, receipt.caseNo) : undefined;
    const queryCode = fresh ? newCode : request ? replayedCode(request, deps.queryCodeKey, now()) : undefined;
    const body =
      answer.status < 300 && queryCode !== undefined ? { ...(answer.body as object), queryCode } : answer.body;
    // A repeat by the body's idempotencyKey answers 200 (api.md, Cases); by the header, the original status.
    const status = !fresh && !rcv.keyFromHeader && answer.status === 201 ? 200 : answer.status;
    return { status, body, replayed: !fresh && receipt.answer !== undefined };
  }

  /** A command on a case: received durably, then applied (or answered from its receipt). */
  async function command(
    route: CommandRoute,
    caseNo: string,
    cmd: UserCommand,
    actor: Actor,
    rcv: Receiving,
  ): Promise<Answer> {
    const payload: CommandPayload = { command: cmd, actor };
    // Received only on a case that exists (one statement; an unknown case stays 404, key or not).
    const received = await receiveCaseCommand(deps.db, {
      scope: rcv.scope,
      key: rcv.key ?? randomUUID(),
      route,
      fingerprint: rcv.fingerprint,
      caseNo,
      payload,
      receivedAt: rcv.receivedAt,
    });
    if (!received) throw caseNotFound();
    const { receipt, fresh } = received;
    refuseReuse(receipt, rcv);
    if (receipt.answer) return { ...receipt.answer, replayed: true };
    return { ...(await settle(receipt)), replayed: !fresh };
  }

  function refuseReuse(receipt: CommandReceipt, rcv: Receiving): void {
    if (receipt.fingerprint !== rcv.fingerprint)
      throw new HttpProblem(
        422,
        'idempotency_key_reused',
        'this Idempotency-Key was already used for another request (another route or body)',
      );
  }

  /**
   * The case as recorded, read once an Update has answered: the workflow answers only after its
   * events (and the projection, in the same transaction) are stored, so this is that state or later.
   */
  async function recordedState(caseNo: string): Promise<CaseState> {
    const state = await caseState(deps.db, caseNo);
    if (!state) throw new Error(`case ${caseNo} answered but has no recorded state`);
    return state;
  }

  /**
   * Applies a received command and stores its answer (the first stored answer wins). The caller
   * waits at most COMMAND_WAIT_MS, then gets 503 while the attempt goes on: when it completes its
   * answer is stored all the same, for the same key to tell. A retry joins the attempt under way.
   */
  async function settle(
    receipt: CommandReceipt,
    opts: SubmissionStart = {},
  ): Promise<{ status: number; body: unknown }> {
    let attempt = inFlight.get(receipt.id);
    if (!attempt) {
      attempt = (async () => {
        const answer =
          receipt.route === 'submit' ? await applySubmission(receipt, opts) : await applyReceivedCommand(receipt);
        return answerReceipt(deps.db, receipt.id, answer);
      })();
      const running = attempt;
      inFlight.set(receipt.id, running);
      running.then(
        () => inFlight.delete(receipt.id),
        () => inFlight.delete(receipt.id),
      );
    }
    let timer: NodeJS.Timeout | undefined;
    const waited = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new ServiceUnavailable('temporal', `no answer from the workflow service within ${waitMs} ms`)),
        waitMs,
      );
    });
    try {
      return await Promise.race([attempt, waited]);
    } catch (err) {
      const down = unavailableOf(err);
      if (!down) throw err;
      throw new ServiceUnavailable(
        down.part,
        `${down.message}. The request was received at ${new Date(receipt.receivedAt).toISOString()} and will be applied as of then; send it again with the same Idempotency-Key to learn its outcome`,
      );
    } finally {
      clearTimeout(timer);
    }
  }

  async function applySubmission(
    receipt: CommandReceipt,
    { fresh = false, searchAttributes }: SubmissionStart,
  ): Promise<{ status: number; body: unknown }> {
    const { input } = receipt.payload as SubmitPayload;
    if (!input || !receipt.caseNo) throw new Error(`submission receipt ${receipt.id} has no workflow input`);
    // Already started and recorded (an earlier attempt got that far): its recorded state answers.
    const recorded = fresh ? undefined : await caseState(deps.db, receipt.caseNo);
    if (recorded) return { status: 201, body: submissionAnswer(recorded) };
    try {
      await workflowCall(() =>
        deps.temporal.workflow.executeUpdateWithStart(recordedStateUpdate, {
          updateId: receipt.id,
          startWorkflowOperation: new WithStartWorkflowOperation('caseWorkflow', {
            workflowId: receipt.caseNo!,
            taskQueue: deps.taskQueue,
            args: [searchAttributes ? { ...input, searchAttributesAtStart: true } : input],
            ...(searchAttributes ? { typedSearchAttributes: searchAttributes } : {}),
            workflowIdConflictPolicy: 'USE_EXISTING',
            workflowIdReusePolicy: 'REJECT_DUPLICATE',
          }),
        }),
      );
      return { status: 201, body: submissionAnswer(await recordedState(receipt.caseNo)) };
    } catch (err) {
      if (unavailableOf(err)) throw err;
      // Started and already closed (refused, withdrawn): the case's recorded state answers.
      const state = await caseState(deps.db, receipt.caseNo);
      if (state) return { status: 201, body: submissionAnswer(state) };
      throw err;
    }
  }

  async function applyReceivedCommand(receipt: CommandReceipt): Promise<{ status: number; body: unknown }> {
    const { command: cmd, actor } = receipt.payload as CommandPayload;
    const caseNo = receipt.caseNo!;
    const route = receipt.route as CommandRoute;
    try {
      await workflowCall(() =>
        deps.temporal.workflow.getHandle(caseNo).executeUpdate(commandUpdate, {
          updateId: receipt.id,
          args: [{ command: cmd, actor, receivedAt: receipt.receivedAt }],
        }),
      );
      return { status: 200, body: await commandAnswer(deps.db, route, await recordedState(caseNo), actor) };
    } catch (err) {
      const refusal = refusalOf(err);
      if (refusal) return problemAnswer(refusal);
      if (!isClosedWorkflow(err)) throw err;
      return answerClosedCase(receipt, cmd, actor);
    }
  }

  /**
   * A closed workflow answers from its recorded state with the same rules (e.g. the same paymentRef
   * again is a no-op). An opinion received in time for a case already decided on its deemed one is
   * refused, and the supervisors are told directly (the case's workflow has ended).
   */
  async function answerClosedCase(receipt: CommandReceipt, cmd: UserCommand, actor: Actor) {
    const caseNo = receipt.caseNo!;
    const latest = await caseState(deps.db, caseNo);
    if (!latest) return problemAnswer(caseNotFound());
    // Recorded already, by a workflow task whose answer was lost (local appends keep the Update's
    // id with its events): the act was done, whatever the closed case would now make of it.
    if (await recordedByUpdate(deps.db, caseNo, receipt.id))
      return { status: 200, body: await commandAnswer(deps.db, receipt.route as CommandRoute, latest, actor) };
    const time = await resolveTimeModel(deps.db, latest.time);
    let events;
    try {
      events = decide(cmd, latest, { now: now(), time, actor, receivedAt: receipt.receivedAt, legalTimes: true });
    } catch (err) {
      if (err instanceof DomainError) return problemAnswer(err);
      throw err;
    }
    const late = events.find((e) => e.type === 'late_act_refused');
    if (late?.type === 'late_act_refused') {
      await deps.db
        .insertInto('notifications')
        .values({
          key: `${caseNo}:late:${receipt.id}:${SUPERVISORS}`,
          dept: SUPERVISORS,
          case_no: caseNo,
          kind: 'late_act_refused',
          payload: JSON.stringify({ caseNo, ...late.data }),
          created_at: new Date(),
          delivered_at: null,
        })
        .onConflict((oc) => oc.column('key').doNothing())
        .execute();
      return problemAnswer(lateActRefusal(late));
    }
    if (events.length) return problemAnswer(new HttpProblem(409, 'case_closed', `the case is ${latest.status}`));
    return { status: 200, body: await commandAnswer(deps.db, receipt.route as CommandRoute, latest, actor) };
  }

  /**
   * Waits (at most `ms`) for the applications still under way, so that a closing API stores their
   * answers — and does not close its Temporal connection under a call the client is still retrying.
   */
  async function drain(ms: number): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      Promise.allSettled([...inFlight.values()]),
      new Promise<void>((resolve) => (timer = setTimeout(resolve, ms))),
    ]);
    clearTimeout(timer);
  }

  return { submit, command, settle, rate, timeModel, drain };

  /**
   * 好差评: the applicant rates an ended case. Its workflow has usually closed, so the rating starts a
   * new run from the recorded state (a bad review keeps it open for the remediation's timers); a
   * case still running (a check pending) takes the rating in its current run.
   */
  async function rate(caseNo: string, cmd: Extract<UserCommand, { type: 'rate' }>, actor: Actor): Promise<CaseState> {
    const recorded = await caseState(deps.db, caseNo);
    if (!recorded) throw caseNotFound();
    const time = await resolveTimeModel(deps.db, recorded.time);
    decide(cmd, recorded, { now: now(), time, actor }); // refuses at once, before anything starts
    const input: CaseWorkflowInput = {
      submission: {
        type: 'submit',
        caseNo,
        matter: recorded.matter,
        applicant: recorded.applicant,
        priority: recorded.priority,
        materials: recorded.materials,
        // No queryCodeHash: the run carries the recorded state, so this submission is never decided
        // again (and codes are checked against case_requests' keyed hash, never the events).
      },
      actor,
      time,
      carried: { state: recorded, time },
      patchSet: CURRENT_PATCH_SET,
    };
    try {
      await workflowCall(() =>
        deps.temporal.workflow.executeUpdateWithStart(commandUpdate, {
          args: [{ command: cmd, actor }],
          startWorkflowOperation: new WithStartWorkflowOperation('caseWorkflow', {
            workflowId: caseNo,
            taskQueue: deps.taskQueue,
            args: [input],
            workflowIdConflictPolicy: 'USE_EXISTING',
            workflowIdReusePolicy: 'ALLOW_DUPLICATE',
          }),
        }),
      );
    } catch (err) {
      throw refusalOf(err) ?? err;
    }
    return recordedState(caseNo);
  }
}

export type CaseService = ReturnType<typeof createCaseService>;

function problemAnswer(p: HttpProblem | DomainError) {
  const status = p instanceof DomainError ? REFUSAL_STATUS[p.code] : p.status;
  return { status, body: problemBody(status, p.code, p.message) };
}

/** Sending again an Update the server did not perform (update-errors.ts): 40 ms, doubling, at most 1 s. */
const UNPERFORMED_UPDATE_FIRST_PAUSE_MS = 20;
const UNPERFORMED_UPDATE_MAX_PAUSE_MS = 1_000;

function refusalOf(err: unknown): HttpProblem | undefined {
  const cause = updateFailure(err);
  if (!cause?.type) return undefined;
  if (isRefusalCode(cause.type)) return new HttpProblem(REFUSAL_STATUS[cause.type], cause.type, cause.message);
  // A worker of the release before carried the status beside the code.
  const status = (cause.details?.[0] as { status?: number } | undefined)?.status ?? 422;
  return new HttpProblem(status, cause.type, cause.message);
}

/**
 * A closed workflow takes no Update: the server answers NOT_FOUND ("workflow execution already
 * completed"), which the client raises as WorkflowNotFoundError, whatever the message says.
 */
function isClosedWorkflow(err: unknown): boolean {
  return err instanceof WorkflowNotFoundError;
}
