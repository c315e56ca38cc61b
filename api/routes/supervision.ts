import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { resolveTimeModel } from '../../db/repositories/calendars';
import { departmentFigures, supervisedCaseSummaries } from '../../db/repositories/supervision';
import { DEFAULT_SCORING, percentile, score } from '../../domain/assessment';
import { blockingDepts } from '../../domain/blocking';
import { parseDateOrInstant, remainingWorkingDays, toShanghaiIso } from '../../domain/calendar';
import { invalid } from '../../domain/errors';
import { DeptStats, StatsQuery, SupervisedCase, SupervisionQuery } from '../schemas';
import { STAFF_ERRORS, staff } from './common';

const iso = (d: Date) => toShanghaiIso(d.getTime());

export const supervisionRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const opts = staff(app, ['supervisor'], ['supervision']);

  app.get(
    '/api/supervision/cases',
    {
      ...opts,
      schema: {
        ...opts.schema,
        querystring: SupervisionQuery,
        response: { 200: Type.Array(SupervisedCase), ...STAFF_ERRORS },
      },
    },
    async (request) => {
      const q = request.query;
      const now = new Date();
      const rows = await supervisedCaseSummaries(app.db, {
        filter: q.filter,
        stalledHours: q.stalledHours ?? 24,
        dept: q.dept,
        now,
        limit: q.limit ?? 200,
      });
      return Promise.all(
        rows.map(async (c) => {
          const time = await resolveTimeModel(app.db, c.time);
          // While the clock is stopped, lateness is judged at the moment it stopped.
          const judgedAt = c.suspension ? new Date(c.suspension.from) : now;
          const blocking = blockingDepts(
            {
              status: c.status,
              lead: {
                dept: c.lead_dept,
                since: iso(c.last_progress_at),
                dueAt: c.deadline ? iso(c.deadline) : null,
                overdue: c.deadline !== null && c.deadline < now,
              },
              // The open tasks are the pending ones of a case under review (suspended included).
              pending: c.openTasks.map((t) => ({
                dept: t.dept,
                since: iso(t.assigned_at),
                dueAt: iso(t.due_at),
                overdue: t.due_at < judgedAt,
              })),
            },
            { whileSuspended: true },
          );
          return {
            caseNo: c.case_no,
            matterCode: c.matter_code,
            status: c.status,
            deadline: c.deadline ? iso(c.deadline) : null,
            remainingWorkingDays: c.deadline
              ? remainingWorkingDays(time, c.deadline.getTime(), c.suspension?.from ?? now.getTime())
              : null,
            alert: c.alert,
            lastProgressAt: iso(c.last_progress_at),
            blockingDepts: blocking,
          };
        }),
      );
    },
  );

  app.get(
    '/api/supervision/stats',
    {
      ...opts,
      schema: { ...opts.schema, querystring: StatsQuery, response: { 200: Type.Array(DeptStats), ...STAFF_ERRORS } },
    },
    async (request) => {
      const q = request.query;
      const today = toShanghaiIso(Date.now()).slice(0, 10);
      const from = parseDateOrInstant(q.from ?? `${today.slice(0, 8)}01`);
      const until = parseDateOrInstant(q.to ?? today);
      if (from === null || until === null || until < from)
        throw invalid('invalid_period', '`from` and `to` must be valid dates, `from` on or before `to`');
      const to = until + 86_400_000; // `to` is inclusive: the period ends with that day
      const figures = await departmentFigures(app.db, new Date(from), new Date(to));
      return figures.map(({ days, ...f }) => ({
        ...f,
        medianDays: percentile(days, 50),
        p90Days: percentile(days, 90),
        score: score(DEFAULT_SCORING, f),
      }));
    },
  );
};
