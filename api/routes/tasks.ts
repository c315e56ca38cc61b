import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { inbox } from '../../db/repositories/notifications';
import { departmentTasks } from '../../db/repositories/tasks';
import { forbidden } from '../../domain/errors';
import { SUPERVISORS } from '../../domain/notifications';
import { toShanghaiIso } from '../../domain/calendar';
import { InboxItem, InboxQuery, TaskQuery, TaskView } from '../schemas';
import { STAFF_ERRORS, staff } from './common';

/** Departments read their own (asking for another's is refused); supervisors any department's (or all, when none is named). */
function inboxDept(request: FastifyRequest, asked: string | undefined, supervisorDefault?: string): string | undefined {
  if (request.actor.role !== 'department') return asked ?? supervisorDefault;
  if (asked !== undefined && asked !== request.actor.dept)
    throw forbidden('not_own_department', 'a department reads only its own tasks and inbox');
  return request.actor.dept;
}

export const taskRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const opts = staff(app, ['department', 'supervisor'], ['inbox']);

  app.get(
    '/api/tasks',
    {
      ...opts,
      schema: { ...opts.schema, querystring: TaskQuery, response: { 200: Type.Array(TaskView), ...STAFF_ERRORS } },
    },
    async (request) => {
      const q = request.query;
      const rows = await departmentTasks(app.db, {
        dept: inboxDept(request, q.dept),
        state: q.state ?? 'pending',
        limit: 1000,
      });
      return rows.map((r) => ({
        caseNo: r.case_no,
        matterCode: r.matter_code,
        dept: r.dept,
        round: r.round,
        status: r.status,
        assignedAt: toShanghaiIso(r.assigned_at.getTime()),
        dueAt: toShanghaiIso(r.due_at.getTime()),
        alert: r.alert,
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
      const q = request.query;
      const rows = await inbox(app.db, inboxDept(request, q.dept, SUPERVISORS)!, q.limit ?? 100);
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
};
