import { Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { caseEvents } from '../../db/repositories/case-events';
import { caseState, listCaseStates } from '../../db/repositories/cases';
import { toShanghaiIso } from '../../domain/calendar';
import { forbidden } from '../../domain/errors';
import type { CaseState } from '../../domain/types';
import type { UserCommand } from '../../workflows/definitions';
import { assertMayReadCase } from '../access';
import { caseNotFound, HttpProblem } from '../problem';
import { idempotencyHeader, receiving, send } from '../receiving';
import * as S from '../schemas';
import { caseView, type CommandRoute } from '../services/answers';
import { STAFF_ERRORS, staff } from './common';

type Params = { caseNo: string };

/** What every command route documents (api.md, "Retries and outages"). */
const COMMAND_NOTE =
  'Durably received before it is applied, and judged as of its receipt: its events carry `receivedAt`. ' +
  'With an `Idempotency-Key` the same key and body replay the original answer (`Idempotent-Replayed: true`); ' +
  'another body → 422 `idempotency_key_reused`. A part down → 503 `service_unavailable` with `Retry-After` ' +
  '(after at most COMMAND_WAIT_MS); the act received is applied later all the same, and the same key tells its outcome.';
const ROUTE_NOTES: Partial<Record<CommandRoute, string>> = {
  opinions:
    "409 `opinion_already_given` for the department's own earlier opinion; 409 `opinion_deemed` when its task was deemed (视为同意) at its limit. " +
    'An opinion received by the limit but applied after the deemed consent replaces it (the `opinion_given` event names what it `supersedes`); ' +
    'once a decision was taken on the deemed opinion → 409 `deadline_passed_unavailable`, and the supervisors are told.',
};

export async function caseRoutes(app: FastifyInstance): Promise<void> {
  const view = (state: CaseState) => caseView(app.db, state);

  async function readable(request: FastifyRequest): Promise<CaseState> {
    const state = await caseState(app.db, (request.params as Params).caseNo);
    if (!state) throw caseNotFound();
    assertMayReadCase(request.actor, state);
    return state;
  }

  /** Sends a command through its durable receipt and answers what it answered (or replays it). */
  async function run(request: FastifyRequest, reply: FastifyReply, route: CommandRoute, command: UserCommand) {
    const answer = await app.cases.command(
      route,
      (request.params as Params).caseNo,
      command,
      request.actor,
      receiving(request),
    );
    return send(reply, answer);
  }

  /** Registers POST /api/cases/:caseNo/<path> for a command, answering the CaseView (or its own reply). */
  function command<B>(
    path: string,
    route: CommandRoute,
    roles: Parameters<typeof staff>[1],
    body: object,
    toCommand: (body: B, request: FastifyRequest) => UserCommand,
    replySchema: object = S.CaseView,
    params: object = S.CaseNoParams,
  ) {
    const opts = staff(app, roles, ['cases']);
    app.post(
      `/api/cases/:caseNo/${path}`,
      {
        ...opts,
        schema: {
          ...opts.schema,
          description: [COMMAND_NOTE, ROUTE_NOTES[route]].filter(Boolean).join('\n\n'),
          params,
          headers: S.CommandHeaders,
          body,
          response: { 200: replySchema, ...STAFF_ERRORS },
        },
      },
      async (request, reply) => run(request, reply, route, toCommand(request.body as B, request)),
    );
  }

  const window = staff(app, ['window'], ['cases']);
  app.post(
    '/api/cases',
    {
      ...window,
      schema: {
        ...window.schema,
        description: `${COMMAND_NOTE}\n\nThe body's \`idempotencyKey\` works as before: a repeat answers 200 with the same case. A repeat or a refused submission spends no case number.`,
        headers: S.CommandHeaders,
        body: S.SubmitCaseBody,
        response: { 200: S.SubmitCaseReply, 201: S.SubmitCaseReply, ...STAFF_ERRORS },
      },
    },
    async (request, reply) => {
      const body = request.body as S.SubmitCaseBody;
      const header = idempotencyHeader(request);
      const answer = await app.cases.submit(body, request.actor, {
        ...receiving(request),
        key: header ?? body.idempotencyKey,
      });
      return send(reply, answer);
    },
  );

  const anyStaff = staff(app, [], ['cases']);
  app.get(
    '/api/cases',
    {
      ...anyStaff,
      schema: { ...anyStaff.schema, querystring: S.CaseListQuery, response: { 200: S.CaseList, ...STAFF_ERRORS } },
    },
    async (request) => {
      const q = request.query as {
        status?: CaseState['status'];
        dept?: string;
        matterCode?: string;
        q?: string;
        limit?: number;
        cursor?: string;
      };
      const limit = q.limit ?? 50;
      // Departments list only the cases they review; asking for another department's is refused.
      if (request.actor.role === 'department' && q.dept !== undefined && q.dept !== request.actor.dept)
        throw forbidden('not_own_department', 'a department lists only the cases it reviews');
      const dept = request.actor.role === 'department' ? request.actor.dept : q.dept;
      const after = q.cursor ? decodeCursor(q.cursor) : undefined;
      const states = await listCaseStates(app.db, {
        status: q.status,
        dept,
        matterCode: q.matterCode,
        search: q.q?.trim() || undefined,
        limit: limit + 1,
        after,
      });
      const page = states.slice(0, limit);
      return {
        items: await Promise.all(page.map(view)),
        nextCursor: states.length > limit ? encodeCursor(page[page.length - 1]!.caseNo) : null,
      };
    },
  );

  app.get(
    '/api/cases/:caseNo',
    {
      ...anyStaff,
      schema: { ...anyStaff.schema, params: S.CaseNoParams, response: { 200: S.CaseView, ...STAFF_ERRORS } },
    },
    async (request) => view(await readable(request)),
  );

  app.get(
    '/api/cases/:caseNo/events',
    {
      ...anyStaff,
      schema: {
        ...anyStaff.schema,
        params: S.CaseNoParams,
        response: { 200: Type.Array(S.CaseEventView), ...STAFF_ERRORS },
      },
    },
    async (request) => {
      await readable(request);
      const events = await caseEvents(app.db, (request.params as Params).caseNo);
      return events.map((e) => ({
        seq: e.seq,
        type: e.type,
        at: toShanghaiIso(e.at),
        ...(e.receivedAt === undefined ? {} : { receivedAt: toShanghaiIso(e.receivedAt) }),
        ...(e.effectiveAt === undefined ? {} : { effectiveAt: toShanghaiIso(e.effectiveAt) }),
        actor: { sub: e.actor.sub, role: e.actor.role, dept: e.actor.dept ?? null, name: e.actor.name ?? null },
        data: withIsoInstants(e.data),
      }));
    },
  );

  command<{ materials: string[] }>(
    'materials',
    'materials',
    ['window'],
    S.MaterialsBody,
    (b) => ({ type: 'register_materials', materials: b.materials }),
    S.MaterialsReply,
  );
  command<{ reason: string }>('refuse', 'refuse', ['window'], S.ReasonBody, (b) => ({
    type: 'refuse',
    reason: b.reason,
  }));
  command<S.OpinionBody>('opinions', 'opinions', ['department'], S.OpinionBody, (b) => ({
    type: 'give_opinion',
    opinion: b,
  }));
  command<{ materials: string[] }>('supplements', 'supplements', ['window'], S.MaterialsBody, (b) => ({
    type: 'register_supplement',
    materials: b.materials,
  }));
  command<{ kind: 'site_inspection' | 'review_meeting'; scheduledAt: string; departments: string[] }>(
    'meetings',
    'meetings',
    ['department'],
    S.MeetingBody,
    (b) => ({ type: 'convene_meeting', ...b }),
    Type.Object({ meetingId: Type.String() }),
  );
  command<{ kind: string; reason: string }>(
    'special-procedures',
    'special-procedures',
    ['department'],
    S.SpecialProcedureBody,
    (b) => ({ type: 'start_special_procedure', ...b }),
    Type.Object({ procedureId: Type.String() }),
  );
  command<{ decision: 'approve' | 'reject'; reason?: string; legalBasis?: string; overruleReason?: string }>(
    'decision',
    'decision',
    ['department'],
    S.DecisionBody,
    (b) => ({ type: 'decide', ...b }),
  );
  command<{ outcome: 'confirm' | 'overturn'; note?: string }>(
    'negative-review',
    'negative-review',
    ['supervisor'],
    S.NegativeReviewBody,
    (b) => ({ type: 'review_negative_filing', ...b }),
  );
  command<{ paymentRef: string; amountCents: number }>('payment', 'payment', ['window'], S.PaymentBody, (b) => ({
    type: 'confirm_payment',
    ...b,
  }));
  command<{ message: string }>('urge', 'urge', ['supervisor'], S.UrgeBody, (b) => ({
    type: 'urge',
    message: b.message,
  }));
  command<{ workingDays: number; reason: string }>('extension', 'extension', ['supervisor'], S.ExtensionBody, (b) => ({
    type: 'extend',
    ...b,
  }));
  command<{ reason: string }>('withdraw', 'withdraw', ['window'], S.ReasonBody, (b) => ({
    type: 'withdraw',
    reason: b.reason,
  }));
  command<{ findings: { dept: string; text: string }[] }>(
    'meetings/:meetingId/minutes',
    'minutes',
    ['department'],
    S.MinutesBody,
    (b, request) => ({
      type: 'record_minutes',
      meetingId: (request.params as { meetingId: string }).meetingId,
      findings: b.findings,
    }),
    S.CaseView,
    S.MeetingParams,
  );
  command<{ outcome: string }>(
    'special-procedures/:procedureId/complete',
    'special-procedure-complete',
    ['department'],
    S.OutcomeBody,
    (b, request) => ({
      type: 'end_special_procedure',
      procedureId: (request.params as { procedureId: string }).procedureId,
      outcome: b.outcome,
    }),
    S.CaseView,
    S.ProcedureParams,
  );
}

/** Event data keeps instants as epoch ms; clients read ISO 8601 with the Shanghai offset (api.md). */
const INSTANT_KEYS = new Set([
  'deadline',
  'statutoryDeadline',
  'dueAt',
  'from',
  'to',
  'remindAt',
  'negativeReviewDueAt',
  'receivedAt',
  'before',
  'after',
]);
function withIsoInstants(data: unknown): unknown {
  if (Array.isArray(data)) return data.map(withIsoInstants);
  if (!data || typeof data !== 'object') return data;
  return Object.fromEntries(
    Object.entries(data).map(([key, value]) => {
      if (INSTANT_KEYS.has(key) && typeof value === 'number') return [key, toShanghaiIso(value)];
      if (key === 'deptDueAt' && value && typeof value === 'object')
        return [key, Object.fromEntries(Object.entries(value).map(([d, ms]) => [d, toShanghaiIso(ms as number)]))];
      return [key, withIsoInstants(value)];
    }),
  );
}

const encodeCursor = (caseNo: string) => Buffer.from(caseNo, 'utf8').toString('base64url');
function decodeCursor(cursor: string): string {
  const caseNo = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!/^[A-Za-z0-9-]{1,64}$/.test(caseNo))
    throw new HttpProblem(400, 'invalid_cursor', 'the cursor is not one this API gave');
  return caseNo;
}
