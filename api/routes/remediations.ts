import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { toShanghaiIso } from '../../domain/calendar';
import { refusal } from '../../domain/errors';
import { casesWithRemediation } from '../../db/repositories/remediations';
import { decodeCursor, pageOf } from '../cursor';
import { Paged, RemediationItem, RemediationQuery } from '../schemas';
import { STAFF_ERRORS, staff } from './common';

/** 好差评 整改: a department's remediation tasks (its own), a supervisor's (all, or one department's). */
export const remediationRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const opts = staff(app, ['department', 'supervisor'], ['remediations']);
  app.get(
    '/api/remediations',
    {
      ...opts,
      schema: {
        ...opts.schema,
        querystring: RemediationQuery,
        response: { 200: Paged(RemediationItem), ...STAFF_ERRORS },
      },
    },
    async (request) => {
      const { role, dept: own } = request.actor;
      if (role === 'department' && request.query.dept !== undefined && request.query.dept !== own)
        throw refusal('not_own_department', 'a department lists only its own remediations');
      const dept = role === 'department' ? own : request.query.dept;
      const state = request.query.state ?? 'open';
      const cursor = request.query.cursor;
      const list = `remediations.${state}`;
      const after = cursor === undefined ? undefined : decodeCursor(list, ['s'], cursor);
      const limit = request.query.limit ?? (cursor === undefined ? 500 : 100);
      const rows = await casesWithRemediation(app.db, {
        ...(dept !== undefined ? { dept } : {}),
        state,
        ...(after ? { after: after[0] as string } : {}),
        limit: cursor === undefined ? limit : limit + 1,
      });
      const page = pageOf(list, rows, limit, (s) => [s.caseNo]);
      const items = page.items.map((s) => {
        const r = s.remediation!;
        return {
          caseNo: s.caseNo,
          matterCode: s.matter.code,
          dept: r.dept,
          level: r.level,
          openedAt: toShanghaiIso(r.openedAt),
          dueAt: toShanghaiIso(r.dueAt),
          overdue: r.overdue || (r.doneAt === undefined && Date.now() > r.dueAt),
          doneAt: r.doneAt === undefined ? null : toShanghaiIso(r.doneAt),
          onTime: r.onTime ?? null,
        };
      });
      return cursor === undefined ? items : { items, nextCursor: page.nextCursor };
    },
  );
};
