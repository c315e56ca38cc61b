import { timingSafeEqual } from 'node:crypto';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { caseState } from '../../db/repositories/cases';
import { toShanghaiIso } from '../../domain/calendar';
import { toPublicView } from '../../domain/view';
import { caseNotFound } from '../problem';
import { CaseNoParams, PublicCaseView, PublicQuery, RatingBody, RatingReply } from '../schemas';
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
      const state = await caseState(app.db, request.params.caseNo);
      const expected = Buffer.from(state?.queryCodeHash ?? UNKNOWN_HASH, 'hex');
      const given = Buffer.from(hashQueryCode(request.query.code), 'hex');
      const match = timingSafeEqual(expected, given);
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
