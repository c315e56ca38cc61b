import { timingSafeEqual } from 'node:crypto';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { caseState } from '../../db/repositories/cases';
import { toPublicView } from '../../domain/view';
import { caseNotFound } from '../problem';
import { CaseNoParams, PublicCaseView, PublicQuery } from '../schemas';
import { problems } from './common';
import { hashQueryCode } from '../services/case-service';

const UNKNOWN_HASH = hashQueryCode('no such case');

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
      const state = await caseState(app.db, request.params.caseNo);
      // Compare in constant time, and as much work for an unknown case as for a wrong code.
      const expected = Buffer.from(state?.queryCodeHash ?? UNKNOWN_HASH, 'hex');
      const given = Buffer.from(hashQueryCode(request.query.code), 'hex');
      const match = timingSafeEqual(expected, given);
      if (!state || !match) throw caseNotFound();
      return toPublicView(state);
    },
  );
};
