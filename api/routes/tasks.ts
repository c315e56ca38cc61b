import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { inboxDept } from '../access';
import { SUPERVISORS } from '../../domain/notifications';
import { toShanghaiIso } from '../../domain/calendar';
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
      let query = app.db
        .selectFrom('case_tasks')
        .select(['case_no', 'matter_code', 'dept', 'round', 'status', 'assigned_at', 'due_at', 'alert'])
        .orderBy('due_at')
        .limit(1000);
      if (dept) query = query.where('dept', '=', dept);
      const state = q.state ?? 'pending';
      if (state === 'pending') query = query.where('open', '=', true);
      if (state === 'done') query = query.where('status', '!=', 'pending');
      const rows = await query.execute();
      return rows.map((r) => ({
        caseNo: r.case_no,
        matterCode: r.matter_code,
        dept: r.dept,
        round: r.round,
        status: r.status,
        assignedAt: toShanghaiIso(r.assigned_at.getTime()),
        dueAt: toShanghaiIso(r.due_at.getTime()),
        alert: r.alert as 'none',
      }));
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
