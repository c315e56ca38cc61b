import { type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { inboxDept } from '../access';
import { SUPERVISORS } from '../../domain/notifications';
import { remainingWorkingDays, toShanghaiIso } from '../../domain/calendar';
import { isProvisional } from '../../domain/republication';
import { resolveTimeModel } from '../../db/repositories/calendars';
import { inbox } from '../../db/repositories/notifications';
import { departmentTasks, taskKey } from '../../db/repositories/tasks';
import { decodeCursor, pageOf } from '../cursor';
import { InboxItem, InboxQuery, Paged, TaskQuery, TaskView } from '../schemas';
import { STAFF_ERRORS, staff } from './common';

export const taskRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const opts = staff(app, ['department', 'supervisor'], ['inbox']);

  app.get(
    '/api/tasks',
    {
      ...opts,
      schema: {
        ...opts.schema,
        summary:
          'Review tasks: pending most urgent first, done latest first. With `cursor` a page { items, nextCursor }; without, the array of the first 1,000 (or `limit`)',
        querystring: TaskQuery,
        response: { 200: Paged(TaskView), ...STAFF_ERRORS },
      },
    },
    async (request) => {
      const q = request.query;
      const state = q.state ?? 'pending';
      // The list (and so the order) a cursor belongs to: a pending cursor cannot continue a done list.
      const list = `tasks.${state}`;
      const after = q.cursor === undefined ? undefined : decodeCursor(list, ['t', 's', 's', 'i'], q.cursor);
      const limit = q.limit ?? (q.cursor === undefined ? 1000 : 100);
      const rows = await departmentTasks(app.db, {
        dept: inboxDept(request.actor, q.dept),
        state,
        limit: q.cursor === undefined ? limit : limit + 1,
        after: after && {
          at: after[0] as number,
          caseNo: after[1] as string,
          dept: after[2] as string,
          round: after[3] as number,
        },
      });
      const now = Date.now();
      const view = async (r: (typeof rows)[number]) => {
        const time = await resolveTimeModel(app.db, r.time);
        const pending = r.status === 'pending';
        return {
          caseNo: r.case_no,
          matterCode: r.matter_code,
          dept: r.dept,
          round: r.round,
          status: r.status,
          assignedAt: toShanghaiIso(r.assigned_at.getTime()),
          dueAt: toShanghaiIso(r.due_at.getTime()),
          alert: r.alert,
          role: r.role,
          matterName: r.matter_name ?? r.matter_code,
          applicantName: r.applicant_name,
          caseStatus: r.case_status,
          remainingWorkingDays: pending ? remainingWorkingDays(time, r.due_at.getTime(), now) : null,
          dueProvisional: pending && isProvisional(time, now, r.due_at.getTime()),
          verdict: r.verdict,
          givenAt: r.given_at ? toShanghaiIso(r.given_at.getTime()) : null,
        };
      };
      if (q.cursor === undefined) return Promise.all(rows.map(view));
      const page = pageOf(list, rows, limit, (r) => {
        const k = taskKey(state, r);
        return [k.at, k.caseNo, k.dept, k.round];
      });
      return { items: await Promise.all(page.items.map(view)), nextCursor: page.nextCursor };
    },
  );

  app.get(
    '/api/inbox',
    {
      ...opts,
      schema: {
        ...opts.schema,
        summary:
          "A department's notices, newest first. With `cursor` a page { items, nextCursor }; without, the array of the first `limit` (100)",
        querystring: InboxQuery,
        response: { 200: Paged(InboxItem), ...STAFF_ERRORS },
      },
    },
    async (request) => {
      const q = request.query;
      const after = q.cursor === undefined ? undefined : decodeCursor(INBOX_LIST, ['t', 's'], q.cursor);
      const limit = q.limit ?? (q.cursor === undefined ? 100 : 50);
      const rows = await inbox(
        app.db,
        inboxDept(request.actor, q.dept, SUPERVISORS)!,
        q.cursor === undefined ? limit : limit + 1,
        after && { at: after[0] as number, key: after[1] as string },
      );
      const page = pageOf(INBOX_LIST, rows, limit, (r) => [r.created_at.getTime(), r.key]);
      const items = page.items.map((r) => ({
        key: r.key,
        dept: r.dept,
        caseNo: r.case_no,
        kind: r.kind,
        payload: r.payload,
        createdAt: toShanghaiIso(r.created_at.getTime()),
        deliveredAt: r.delivered_at ? toShanghaiIso(r.delivered_at.getTime()) : null,
      }));
      return q.cursor === undefined ? items : { items, nextCursor: page.nextCursor };
    },
  );
};

const INBOX_LIST = 'inbox';
