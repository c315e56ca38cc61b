import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { listDepartments } from '../../db/repositories/catalog';
import { caseState } from '../../db/repositories/cases';
import { queryCodeHashOf } from '../../db/repositories/case-requests';
import { toShanghaiIso } from '../../domain/calendar';
import { toPublicView } from '../../domain/view';
import { caseNotFound } from '../problem';
import { queryCodeMatches } from '../query-codes';
import { CaseNoParams, PublicCaseView, PublicQuery, RatingBody, RatingReply } from '../schemas';
import { problems } from './common';

/** Applicant progress (办件进度查询): case number + query code, no login, no internal comments. */
export const publicRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/api/public/cases/:caseNo',
    {
      config: { rateLimit: { max: app.config.publicLookupsPerMinute, timeWindow: '1 minute' } },
      schema: {
        tags: ['public'],
        params: CaseNoParams,
        querystring: PublicQuery,
        response: { 200: PublicCaseView, ...problems(400, 404, 429) },
      },
    },
    async (request) => {
      const { caseNo } = request.params;
      const [stored, state] = await Promise.all([queryCodeHashOf(app.db, caseNo), caseState(app.db, caseNo)]);
      // Compared in constant time, with as much work for an unknown case as for a wrong code.
      const match = queryCodeMatches(app.config.queryCodeKey, stored, request.query.code);
      if (!state || !match) throw caseNotFound();
      const view = toPublicView(state);
      // The applicant reads the departments by their names, as the catalog has them.
      const names = new Map((await listDepartments(app.db)).map((d) => [d.code, d.name]));
      return { ...view, departments: view.departments.map((d) => ({ ...d, name: names.get(d.dept) ?? null })) };
    },
  );

  // 好差评: the applicant rates the ended case once; a wrong code answers like an unknown case.
  app.post(
    '/api/public/cases/:caseNo/rating',
    {
      config: { rateLimit: { max: app.config.publicLookupsPerMinute, timeWindow: '1 minute' } },
      schema: {
        tags: ['public'],
        params: CaseNoParams,
        querystring: PublicQuery,
        body: RatingBody,
        response: { 201: RatingReply, ...problems(400, 404, 409, 422, 429) },
      },
    },
    async (request, reply) => {
      const { caseNo } = request.params;
      const [stored, state] = await Promise.all([queryCodeHashOf(app.db, caseNo), caseState(app.db, caseNo)]);
      // The same constant-time check as the look-up above.
      const match = queryCodeMatches(app.config.queryCodeKey, stored, request.query.code);
      if (!state || !match) throw caseNotFound();
      const rated = await app.cases.rate(
        state.caseNo,
        { type: 'rate', ...request.body, remediationDays: app.config.remediationDays },
        { sub: 'applicant', role: 'applicant', name: state.applicant.name },
      );
      const r = rated.remediation;
      return reply.status(201).send({
        caseNo: rated.caseNo,
        level: rated.rating!.level,
        at: toShanghaiIso(rated.rating!.at),
        remediation: r ? { dept: r.dept, dueAt: toShanghaiIso(r.dueAt) } : null,
      });
    },
  );
};
