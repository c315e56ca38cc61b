import { Type, type FastifyPluginAsyncTypebox, type TSchema } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { resolveTimeModel } from '../../db/repositories/calendars';
import { caseEvents } from '../../db/repositories/case-events';
import { caseState, listCaseStates } from '../../db/repositories/cases';
import { toShanghaiIso } from '../../domain/calendar';
import { refusal } from '../../domain/errors';
import type { CaseState } from '../../domain/types';
import { toCaseView } from '../../domain/view';
import type { UserCommand } from '../../workflows/definitions';
import { assertMayReadCase } from '../access';
import type { StaffRole } from '../plugins/auth';
import { caseNotFound, HttpProblem } from '../problem';
import * as S from '../schemas';
import { STAFF_ERRORS, staff } from './common';

export const caseRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const view = async (state: CaseState) => toCaseView(state, Date.now(), await resolveTimeModel(app.db, state.time));

  async function readable(request: FastifyRequest, caseNo: string): Promise<CaseState> {
    const state = await caseState(app.db, caseNo);
    if (!state) throw caseNotFound();
    assertMayReadCase(request.actor, state);
    return state;
  }

  const run = async (request: FastifyRequest & { params: { caseNo: string } }, command: UserCommand) =>
    app.cases.command(request.params.caseNo, command, request.actor);

  /**
   * Options of POST /api/cases/:caseNo/<command>: the role check, and the schemas the handler's
   * types come from (its body, and what it answers: the CaseView unless said otherwise).
   */
  function commandRoute<
    B extends TSchema,
    R extends TSchema = typeof S.CaseView,
    P extends TSchema = typeof S.CaseNoParams,
  >(roles: StaffRole[], body: B, opts: { reply?: R; params?: P } = {}) {
    const base = staff(app, roles, ['cases']);
    return {
      ...base,
      schema: {
        ...base.schema,
        params: (opts.params ?? S.CaseNoParams) as P,
        body,
        response: { 200: (opts.reply ?? S.CaseView) as R, ...STAFF_ERRORS },
      },
    };
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
      const result = await app.cases.submit(request.body, request.actor);
      const s = result.state;
      return reply.status(result.created ? 201 : 200).send({
        caseNo: s.caseNo,
        queryCode: result.queryCode,
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
      const q = request.query;
      const limit = q.limit ?? 50;
      // Departments list only the cases they review; asking for another department's is refused.
      if (request.actor.role === 'department' && q.dept !== undefined && q.dept !== request.actor.dept)
        throw refusal('not_own_department', 'a department lists only the cases it reviews');
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
    async (request) => view(await readable(request, request.params.caseNo)),
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
      await readable(request, request.params.caseNo);
      const events = await caseEvents(app.db, request.params.caseNo);
      return events.map((e) => ({
        seq: e.seq,
        type: e.type,
        at: toShanghaiIso(e.at),
        actor: { sub: e.actor.sub, role: e.actor.role, dept: e.actor.dept ?? null, name: e.actor.name ?? null },
        data: withIsoInstants(e.data),
      }));
    },
  );

  app.post(
    '/api/cases/:caseNo/materials',
    commandRoute(['window'], S.MaterialsBody, { reply: S.MaterialsReply }),
    async (request) => {
      const s = await run(request, { type: 'register_materials', materials: request.body.materials });
      return { status: submissionStatus(s), missingMaterials: s.missingMaterials };
    },
  );
  app.post('/api/cases/:caseNo/refuse', commandRoute(['window'], S.ReasonBody), async (request) =>
    view(await run(request, { type: 'refuse', reason: request.body.reason })),
  );
  app.post('/api/cases/:caseNo/opinions', commandRoute(['department'], S.OpinionBody), async (request) =>
    view(await run(request, { type: 'give_opinion', opinion: request.body })),
  );
  app.post('/api/cases/:caseNo/supplements', commandRoute(['window'], S.MaterialsBody), async (request) =>
    view(await run(request, { type: 'register_supplement', materials: request.body.materials })),
  );
  app.post(
    '/api/cases/:caseNo/meetings',
    commandRoute(['department'], S.MeetingBody, { reply: Type.Object({ meetingId: Type.String() }) }),
    async (request) => {
      const s = await run(request, { type: 'convene_meeting', ...request.body });
      return { meetingId: s.meetings[s.meetings.length - 1]!.id };
    },
  );
  app.post(
    '/api/cases/:caseNo/special-procedures',
    commandRoute(['department'], S.SpecialProcedureBody, { reply: Type.Object({ procedureId: Type.String() }) }),
    async (request) => {
      const s = await run(request, { type: 'start_special_procedure', ...request.body });
      return { procedureId: s.procedures[s.procedures.length - 1]!.id };
    },
  );
  app.post('/api/cases/:caseNo/decision', commandRoute(['department'], S.DecisionBody), async (request) =>
    view(await run(request, { type: 'decide', ...request.body })),
  );
  app.post('/api/cases/:caseNo/negative-review', commandRoute(['supervisor'], S.NegativeReviewBody), async (request) =>
    view(await run(request, { type: 'review_negative_filing', ...request.body })),
  );
  app.post('/api/cases/:caseNo/payment', commandRoute(['window'], S.PaymentBody), async (request) =>
    view(await run(request, { type: 'confirm_payment', ...request.body })),
  );
  app.post('/api/cases/:caseNo/urge', commandRoute(['supervisor'], S.UrgeBody), async (request) =>
    view(await run(request, { type: 'urge', message: request.body.message })),
  );
  app.post('/api/cases/:caseNo/extension', commandRoute(['supervisor'], S.ExtensionBody), async (request) =>
    view(await run(request, { type: 'extend', ...request.body })),
  );
  app.post('/api/cases/:caseNo/withdraw', commandRoute(['window'], S.ReasonBody), async (request) =>
    view(await run(request, { type: 'withdraw', reason: request.body.reason })),
  );
  app.post('/api/cases/:caseNo/remediation', commandRoute(['department'], S.RemediationBody), async (request) =>
    view(await run(request, { type: 'record_remediation', ...request.body })),
  );
  app.post('/api/cases/:caseNo/remediation/reassign', commandRoute(['supervisor'], S.ReassignBody), async (request) =>
    view(await run(request, { type: 'reassign_remediation', dept: request.body.dept })),
  );
  app.post('/api/cases/:caseNo/verification', commandRoute(['department'], S.VerificationBody), async (request) =>
    view(await run(request, { type: 'verify_commitments', ...request.body })),
  );
  app.post(
    '/api/cases/:caseNo/meetings/:meetingId/minutes',
    commandRoute(['department'], S.MinutesBody, { params: S.MeetingParams }),
    async (request) =>
      view(
        await run(request, {
          type: 'record_minutes',
          meetingId: request.params.meetingId,
          findings: request.body.findings,
        }),
      ),
  );
  app.post(
    '/api/cases/:caseNo/special-procedures/:procedureId/complete',
    commandRoute(['department'], S.OutcomeBody, { params: S.ProcedureParams }),
    async (request) =>
      view(
        await run(request, {
          type: 'end_special_procedure',
          procedureId: request.params.procedureId,
          outcome: request.body.outcome,
        }),
      ),
  );
};

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
