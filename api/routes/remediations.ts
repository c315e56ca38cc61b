import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { sql } from 'kysely';
import { toShanghaiIso } from '../../domain/calendar';
import { refusal } from '../../domain/errors';
import type { CaseState } from '../../domain/types';
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
      // By case number over the cases that have one (cases_remediation_idx), a page after another.
      let q = app.db
        .selectFrom('cases')
        .select(['case_no', 'state'])
        .where(sql<boolean>`state->'remediation' is not null`)
        .orderBy('case_no')
        .limit(cursor === undefined ? limit : limit + 1);
      if (after) q = q.where('case_no', '>', after[0] as string);
      if (dept) q = q.where(sql<boolean>`state->'remediation'->>'dept' = ${dept}`);
      if (state === 'open') q = q.where(sql<boolean>`state->'remediation'->'doneAt' is null`);
      if (state === 'done') q = q.where(sql<boolean>`state->'remediation'->'doneAt' is not null`);
      const page = pageOf(list, await q.execute(), limit, (row) => [row.case_no]);
      const items = page.items.map((row) => {
        const s = row.state as CaseState;
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
