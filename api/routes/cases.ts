import { Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { resolveTimeModel } from '../../db/repositories/calendars';
import { caseEvents } from '../../db/repositories/case-events';
import { caseState, listCaseStates } from '../../db/repositories/cases';
import { toShanghaiIso } from '../../domain/calendar';
import { forbidden } from '../../domain/errors';
import type { CaseState } from '../../domain/types';
import { toCaseView } from '../../domain/view';
import { applicantFor, eventDataFor } from '../../domain/disclosure';
import type { Actor } from '../../domain/types';
import { replaceQueryCode } from '../../db/repositories/case-requests';
import { hashQueryCode, newQueryCode } from '../query-codes';
import type { UserCommand } from '../../workflows/definitions';
import { assertMayReadCase } from '../access';
import { caseNotFound, HttpProblem } from '../problem';
import * as S from '../schemas';
import { STAFF_ERRORS, staff } from './common';

type Params = { caseNo: string };

export async function caseRoutes(app: FastifyInstance): Promise<void> {
  /** The CaseView as this reader may see it (the applicant's personal data per domain/disclosure.ts). */
  const viewFor = (reader: Actor) => async (state: CaseState) => ({
    ...toCaseView(state, Date.now(), await resolveTimeModel(app.db, state.time)),
    applicant: applicantFor(state.applicant, reader, state.matter.leadDept),
  });

  async function readable(request: FastifyRequest): Promise<CaseState> {
    const state = await caseState(app.db, (request.params as Params).caseNo);
    if (!state) throw caseNotFound();
    assertMayReadCase(request.actor, state);
    return state;
  }

  const run = async (request: FastifyRequest, command: UserCommand) =>
    app.cases.command((request.params as Params).caseNo, command, request.actor);

  /** Registers POST /api/cases/:caseNo/<path> for a command, answering the CaseView. */
  function command<B>(
    path: string,
    roles: Parameters<typeof staff>[1],
    body: object,
    toCommand: (body: B, request: FastifyRequest) => UserCommand,
    reply: object = S.CaseView,
    answer?: (state: CaseState, body: B) => unknown,
  ) {
    const opts = staff(app, roles, ['cases']);
    app.post(
      `/api/cases/:caseNo/${path}`,
      {
        ...opts,
        schema: {
          ...opts.schema,
          params: path.includes(':') ? undefined : S.CaseNoParams,
          body,
          response: { 200: reply, ...STAFF_ERRORS },
        },
      },
      async (request) => {
        const state = await run(request, toCommand(request.body as B, request));
        return answer ? answer(state, request.body as B) : viewFor(request.actor)(state);
      },
    );
  }

  const window = staff(app, ['window'], ['cases']);
  app.post(
    '/api/cases',
    {
      ...window,
      schema: {
        ...window.schema,
        body: S.SubmitCaseBody,
        response: { 200: S.SubmitCaseReply, 201: S.SubmitCaseReply, ...STAFF_ERRORS },
      },
    },
    async (request, reply) => {
      const result = await app.cases.submit(request.body as S.SubmitCaseBody, request.actor);
      const s = result.state;
      return reply.status(result.created ? 201 : 200).send({
        caseNo: s.caseNo,
        ...(result.queryCode === undefined ? {} : { queryCode: result.queryCode }),
        status: submissionStatus(s),
        missingMaterials: s.missingMaterials,
        deadline: s.deadline === undefined ? null : toShanghaiIso(s.deadline),
      });
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
        items: await Promise.all(page.map(viewFor(request.actor))),
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
    async (request) => viewFor(request.actor)(await readable(request)),
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
      const state = await readable(request);
      const events = await caseEvents(app.db, (request.params as Params).caseNo);
      return events.map((e) => ({
        seq: e.seq,
        type: e.type,
        at: toShanghaiIso(e.at),
        actor: { sub: e.actor.sub, role: e.actor.role, dept: e.actor.dept ?? null, name: e.actor.name ?? null },
        data: withIsoInstants(eventDataFor(e.type, e.data, request.actor, state.matter.leadDept)),
      }));
    },
  );

  // A new query code for the applicant (lost, or a retried submission's answer carried none).
  // The old code stops working. Windows only: they see the applicant in person.
  app.post(
    '/api/cases/:caseNo/query-code',
    {
      ...window,
      schema: {
        ...window.schema,
        params: S.CaseNoParams,
        body: S.QueryCodeBody,
        response: { 200: S.QueryCodeReply, ...STAFF_ERRORS },
      },
    },
    async (request) => {
      const { caseNo } = request.params as Params;
      if (!(await caseState(app.db, caseNo))) throw caseNotFound();
      const queryCode = newQueryCode();
      if (!(await replaceQueryCode(app.db, caseNo, hashQueryCode(app.config.queryCodeKey, queryCode))))
        throw caseNotFound();
      const { reason } = request.body as { reason: string };
      request.log.info({ caseNo, by: request.actor.sub, reason }, 'query code reissued');
      return { caseNo, queryCode };
    },
  );

  command<{ materials: string[] }>(
    'materials',
    ['window'],
    S.MaterialsBody,
    (b) => ({ type: 'register_materials', materials: b.materials }),
    S.MaterialsReply,
    (s) => ({ status: submissionStatus(s), missingMaterials: s.missingMaterials }),
  );
  command<{ reason: string }>('refuse', ['window'], S.ReasonBody, (b) => ({ type: 'refuse', reason: b.reason }));
  command<S.OpinionBody>('opinions', ['department'], S.OpinionBody, (b) => ({ type: 'give_opinion', opinion: b }));
  command<{ materials: string[] }>('supplements', ['window'], S.MaterialsBody, (b) => ({
    type: 'register_supplement',
    materials: b.materials,
  }));
  command<{ kind: 'site_inspection' | 'review_meeting'; scheduledAt: string; departments: string[] }>(
    'meetings',
    ['department'],
    S.MeetingBody,
    (b) => ({ type: 'convene_meeting', ...b }),
    Type.Object({ meetingId: Type.String() }),
    (s) => ({ meetingId: s.meetings[s.meetings.length - 1]!.id }),
  );
  command<{ kind: string; reason: string }>(
    'special-procedures',
    ['department'],
    S.SpecialProcedureBody,
    (b) => ({ type: 'start_special_procedure', ...b }),
    Type.Object({ procedureId: Type.String() }),
    (s) => ({ procedureId: s.procedures[s.procedures.length - 1]!.id }),
  );
  command<{ decision: 'approve' | 'reject'; reason?: string; legalBasis?: string; overruleReason?: string }>(
    'decision',
    ['department'],
    S.DecisionBody,
    (b) => ({ type: 'decide', ...b }),
  );
  command<{ outcome: 'confirm' | 'overturn'; note?: string }>(
    'negative-review',
    ['supervisor'],
    S.NegativeReviewBody,
    (b) => ({ type: 'review_negative_filing', ...b }),
  );
  command<{ paymentRef: string; amountCents: number }>('payment', ['window'], S.PaymentBody, (b) => ({
    type: 'confirm_payment',
    ...b,
  }));
  command<{ message: string }>('urge', ['supervisor'], S.UrgeBody, (b) => ({ type: 'urge', message: b.message }));
  command<{ workingDays: number; reason: string }>('extension', ['supervisor'], S.ExtensionBody, (b) => ({
    type: 'extend',
    ...b,
  }));
  command<{ reason: string }>('withdraw', ['window'], S.ReasonBody, (b) => ({ type: 'withdraw', reason: b.reason }));

  const lead = staff(app, ['department'], ['cases']);
  app.post(
    '/api/cases/:caseNo/meetings/:meetingId/minutes',
    {
      ...lead,
      schema: {
        ...lead.schema,
        params: S.MeetingParams,
        body: S.MinutesBody,
        response: { 200: S.CaseView, ...STAFF_ERRORS },
      },
    },
    async (request) => {
      const { meetingId } = request.params as { meetingId: string };
      return viewFor(request.actor)(
        await run(request, {
          type: 'record_minutes',
          meetingId,
          findings: (request.body as { findings: { dept: string; text: string }[] }).findings,
        }),
      );
    },
  );
  app.post(
    '/api/cases/:caseNo/special-procedures/:procedureId/complete',
    {
      ...lead,
      schema: {
        ...lead.schema,
        params: S.ProcedureParams,
        body: S.OutcomeBody,
        response: { 200: S.CaseView, ...STAFF_ERRORS },
      },
    },
    async (request) => {
      const { procedureId } = request.params as { procedureId: string };
      return viewFor(request.actor)(
        await run(request, {
          type: 'end_special_procedure',
          procedureId,
          outcome: (request.body as { outcome: string }).outcome,
        }),
      );
    },
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

/** Answers about acceptance speak of acceptance itself; the case's progress is in its CaseView. */
function submissionStatus(s: CaseState): string {
  return s.status === 'awaiting_materials' || s.status === 'refused' || s.status === 'withdrawn'
    ? s.status
    : 'accepted';
}

const encodeCursor = (caseNo: string) => Buffer.from(caseNo, 'utf8').toString('base64url');
function decodeCursor(cursor: string): string {
  const caseNo = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!/^[A-Za-z0-9-]{1,64}$/.test(caseNo))
    throw new HttpProblem(400, 'invalid_cursor', 'the cursor is not one this API gave');
  return caseNo;
}
