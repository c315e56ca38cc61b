import { createHash, randomInt, randomUUID } from 'node:crypto';
import { WithStartWorkflowOperation, WorkflowUpdateFailedError, type Client } from '@temporalio/client';
import { ApplicationFailure, WorkflowNotFoundError } from '@temporalio/common';
import type { Db } from '../../db';
import { currentCalendar, resolveTimeModel } from '../../db/repositories/calendars';
import { claimCaseNumber } from '../../db/repositories/case-requests';
import { caseState } from '../../db/repositories/cases';
import { getMatter } from '../../db/repositories/catalog';
import type { TimeModel } from '../../domain/calendar';
import { decide } from '../../domain/decide';
import { refusal } from '../../domain/errors';
import { isRefusalCode, REFUSAL_STATUS } from '../refusal-status';
import type { Actor, CaseState, Priority } from '../../domain/types';
import {
  commandUpdate,
  recordedStateUpdate,
  type CaseWorkflowInput,
  type SubmitCommand,
  type UserCommand,
} from '../../workflows/definitions';
import { caseNotFound, HttpProblem } from '../problem';

export interface CaseServiceDeps {
  db: Db;
  temporal: Client;
  taskQueue: string;
  /** The demo clock, when DEMO_DAY_SECONDS is set. */
  demo?: { epochMs: number; dayMs: number };
  now?: () => number;
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

export const hashQueryCode = (code: string) => createHash('sha256').update(code).digest('hex');
const newQueryCode = () => String(randomInt(0, 100_000_000)).padStart(8, '0');

/** Talks to the case workflows: starts them (workflow id = case number) and sends them commands. */
export function createCaseService(deps: CaseServiceDeps) {
  const now = deps.now ?? Date.now;

  async function timeModel(): Promise<TimeModel> {
    if (deps.demo) return { kind: 'demo', ...deps.demo };
    return { kind: 'calendar', calendar: await currentCalendar(deps.db) };
  }

  async function submit(
    req: SubmitRequest,
    actor: Actor,
  ): Promise<{ created: boolean; queryCode: string; state: CaseState }> {
    const matter = await getMatter(deps.db, req.matterCode);
    if (!matter) throw refusal('unknown_matter', `matter ${req.matterCode} is not in the catalog`);
    const time = await timeModel();
    const submission = (caseNo: string, queryCode: string): SubmitCommand => ({
      type: 'submit',
      caseNo,
      matter,
      applicant: req.applicant,
      priority: req.priority ?? 'normal',
      materials: req.materials,
      queryCodeHash: hashQueryCode(queryCode),
      ...(req.deferredMaterials?.length ? { deferredMaterials: req.deferredMaterials } : {}),
      ...(req.promise ? { promise: req.promise } : {}),
      ...(req.commitments?.length ? { commitments: req.commitments } : {}),
    });
    // Refuse bad input before a case number is spent: the same rules the workflow will run.
    decide(submission('JA-CHECK', '0'), undefined, { now: now(), time, actor });
    const claim = await claimCaseNumber(deps.db, req.idempotencyKey ?? randomUUID(), newQueryCode());
    const recorded = claim.created ? undefined : await caseState(deps.db, claim.caseNo);
    if (recorded) return { created: false, queryCode: claim.queryCode, state: recorded };
    const input: CaseWorkflowInput = { submission: submission(claim.caseNo, claim.queryCode), actor, time };
    await deps.temporal.workflow.executeUpdateWithStart(recordedStateUpdate, {
      startWorkflowOperation: new WithStartWorkflowOperation('caseWorkflow', {
        workflowId: claim.caseNo,
        taskQueue: deps.taskQueue,
        args: [input],
        workflowIdConflictPolicy: 'USE_EXISTING',
        workflowIdReusePolicy: 'REJECT_DUPLICATE',
      }),
    });
    return { created: claim.created, queryCode: claim.queryCode, state: await recordedState(claim.caseNo) };
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
   * Sends a command as a Workflow Update; the validator refuses at once with the rule's code.
   * A closed workflow answers from its recorded state with the same rules (e.g. the same paymentRef again).
   */
  async function command(caseNo: string, cmd: UserCommand, actor: Actor): Promise<CaseState> {
    try {
      await deps.temporal.workflow.getHandle(caseNo).executeUpdate(commandUpdate, { args: [{ command: cmd, actor }] });
    } catch (err) {
      const refusal = refusalOf(err);
      if (refusal) throw refusal;
      // No workflow: an unknown case, or one whose workflow has closed.
      if (!isClosedWorkflow(err)) throw err;
      const latest = await caseState(deps.db, caseNo);
      if (!latest) throw caseNotFound();
      const events = decide(cmd, latest, { now: now(), time: await resolveTimeModel(deps.db, latest.time), actor });
      if (events.length) throw new HttpProblem(409, 'case_closed', `the case is ${latest.status}`);
      return latest;
    }
    return recordedState(caseNo);
  }

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
        queryCodeHash: recorded.queryCodeHash,
      },
      actor,
      time,
      carried: { state: recorded, time },
    };
    try {
      await deps.temporal.workflow.executeUpdateWithStart(commandUpdate, {
        args: [{ command: cmd, actor }],
        startWorkflowOperation: new WithStartWorkflowOperation('caseWorkflow', {
          workflowId: caseNo,
          taskQueue: deps.taskQueue,
          args: [input],
          workflowIdConflictPolicy: 'USE_EXISTING',
          workflowIdReusePolicy: 'ALLOW_DUPLICATE',
        }),
      });
    } catch (err) {
      throw refusalOf(err) ?? err;
    }
    return recordedState(caseNo);
  }

  return { submit, command, rate, timeModel };
}

export type CaseService = ReturnType<typeof createCaseService>;

function refusalOf(err: unknown): HttpProblem | undefined {
  const cause = err instanceof WorkflowUpdateFailedError ? err.cause : undefined;
  if (!(cause instanceof ApplicationFailure) || !cause.type) return undefined;
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
