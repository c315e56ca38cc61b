import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { caseState } from '../../db/repositories/cases';
import { queryCodeHashOf } from '../../db/repositories/case-requests';
import { toPublicView } from '../../domain/view';
import { caseNotFound } from '../problem';
import { queryCodeMatches } from '../query-codes';
import { CaseNoParams, PublicCaseView, PublicQuery } from '../schemas';
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
      return toPublicView(state);
    },
  );
};
