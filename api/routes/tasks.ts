import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { inboxDept } from '../access';
import { SUPERVISORS } from '../../domain/notifications';
import { sql } from 'kysely';
import { remainingWorkingDays, toShanghaiIso } from '../../domain/calendar';
import type { TimeModelRef } from '../../domain/types';
import { resolveTimeModel } from '../../db/repositories/calendars';
import { InboxItem, InboxQuery, TaskQuery, TaskView } from '../schemas';
import { STAFF_ERRORS, staff } from './common';

export async function taskRoutes(app: FastifyInstance): Promise<void> {
  const opts = staff(app, ['department', 'supervisor'], ['inbox']);

  app.get(
    '/api/tasks',
    {
      ...opts,
      schema: { ...opts.schema, querystring: TaskQuery, response: { 200: Type.Array(TaskView), ...STAFF_ERRORS } },
    },
    async (request) => {
      const q = request.query as { state?: 'pending' | 'done' | 'all'; dept?: string };
      const dept = inboxDept(request.actor, q.dept);
      const state = q.state ?? 'pending';
      let query = app.db
        .selectFrom('case_tasks as t')
        .innerJoin('cases as c', 'c.case_no', 't.case_no')
        .select([
          't.case_no',
          't.matter_code',
          't.dept',
          't.round',
          't.role',
          't.status',
          't.verdict',
          't.assigned_at',
          't.due_at',
          't.given_at',
          't.alert',
          'c.applicant_name',
          'c.status as case_status',
          sql<string>`c.state->'matter'->>'name'`.as('matter_name'),
          sql<TimeModelRef>`c.state->'time'`.as('time'),
        ])
        // 待办: the most urgent first; 已办: the latest answered first.
        .orderBy(state === 'done' ? sql`t.given_at desc nulls last` : sql`t.due_at`)
        .limit(1000);
      if (dept) query = query.where('t.dept', '=', dept);
      if (state === 'pending') query = query.where('t.open', '=', true);
      if (state === 'done') query = query.where('t.status', '!=', 'pending');
      const rows = await query.execute();
      const now = Date.now();
      return Promise.all(
        rows.map(async (r) => ({
          caseNo: r.case_no,
          matterCode: r.matter_code,
          dept: r.dept,
          round: r.round,
          status: r.status,
          assignedAt: toShanghaiIso(r.assigned_at.getTime()),
          dueAt: toShanghaiIso(r.due_at.getTime()),
          alert: r.alert as 'none',
          role: r.role,
          matterName: r.matter_name ?? r.matter_code,
          applicantName: r.applicant_name,
          caseStatus: r.case_status,
          remainingWorkingDays:
            r.status === 'pending'
              ? remainingWorkingDays(await resolveTimeModel(app.db, r.time), r.due_at.getTime(), now)
              : null,
          verdict: r.verdict,
          givenAt: r.given_at ? toShanghaiIso(r.given_at.getTime()) : null,
        })),
      );
    },
  );

  app.get(
    '/api/inbox',
    {
      ...opts,
      schema: { ...opts.schema, querystring: InboxQuery, response: { 200: Type.Array(InboxItem), ...STAFF_ERRORS } },
    },
    async (request) => {
      const q = request.query as { dept?: string; limit?: number };
      const dept = inboxDept(request.actor, q.dept, SUPERVISORS)!;
      const rows = await app.db
        .selectFrom('notifications')
        .selectAll()
        .where('dept', '=', dept)
        .orderBy('created_at', 'desc')
        .orderBy('key')
        .limit(q.limit ?? 100)
        .execute();
      return rows.map((r) => ({
        key: r.key,
        dept: r.dept,
        caseNo: r.case_no,
        kind: r.kind,
        payload: r.payload,
        createdAt: toShanghaiIso(r.created_at.getTime()),
        deliveredAt: r.delivered_at ? toShanghaiIso(r.delivered_at.getTime()) : null,
      }));
    },
  );
}
