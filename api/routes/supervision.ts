import { stringify } from 'csv-stringify/sync';
import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { resolveTimeModel } from '../../db/repositories/calendars';
import { listDepartments, listMatters } from '../../db/repositories/catalog';
import { supervisionCounts, weeklyFigures } from '../../db/repositories/dashboard';
import { departmentFigures, ratingCounts, supervisedCaseSummaries } from '../../db/repositories/supervision';
import { NO_RATINGS, percentile, ratingFigures, score } from '../../domain/assessment';
import { blockingDepts } from '../../domain/blocking';
import {
  parseDateOrInstant,
  remainingWorkingDays,
  shanghaiDayOf,
  toIsoDate,
  toShanghaiIso,
} from '../../domain/calendar';
import { refusal } from '../../domain/errors';
import { isProvisional } from '../../domain/republication';
import { decodeCursor, pageOf } from '../cursor';
import {
  DeptStats,
  MatterStats,
  Paged,
  StatsQuery,
  SummaryQuery,
  SupervisedCase,
  SupervisionQuery,
  SupervisionSummary,
  TrendQuery,
  WeeklyFigures,
} from '../schemas';
import { STAFF_ERRORS, staff } from './common';

const iso = (d: Date) => toShanghaiIso(d.getTime());
/** One order for every filter, so a cursor holds across them (the filter narrows, the key stays). */
const SUPERVISED_LIST = 'supervision.cases';

export const supervisionRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const opts = staff(app, ['supervisor'], ['supervision']);

  app.get(
    '/api/supervision/cases',
    {
      ...opts,
      schema: {
        ...opts.schema,
        summary:
          'Open cases matching a supervision filter, oldest progress first. With `cursor` a page { items, nextCursor }; without, the array of the first `limit` (200)',
        querystring: SupervisionQuery,
        response: { 200: Paged(SupervisedCase), ...STAFF_ERRORS },
      },
    },
    async (request) => {
      const q = request.query;
      const now = new Date();
      const paged = q.cursor !== undefined;
      const after = paged ? decodeCursor(SUPERVISED_LIST, ['t', 's'], q.cursor!) : undefined;
      const limit = q.limit ?? (paged ? 50 : 200);
      const rows = await supervisedCaseSummaries(app.db, {
        filter: q.filter,
        stalledHours: q.stalledHours ?? 24,
        dept: q.dept,
        now,
        limit: paged ? limit + 1 : limit,
        after: after && { progressAt: after[0] as number, caseNo: after[1] as string },
      });
      const page = pageOf(SUPERVISED_LIST, rows, limit, (c) => [c.last_progress_at.getTime(), c.case_no]);
      const items = await Promise.all(
        page.items.map(async (c) => {
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
            deadlineProvisional: isProvisional(time, now.getTime(), c.deadline?.getTime()),
            remainingWorkingDays: c.deadline
              ? remainingWorkingDays(time, c.deadline.getTime(), c.suspension?.from ?? now.getTime())
              : null,
            alert: c.alert,
            lastProgressAt: iso(c.last_progress_at),
            blockingDepts: blocking,
          };
        }),
      );
      return paged ? { items, nextCursor: page.nextCursor } : items;
    },
  );

  app.get(
    '/api/supervision/stats',
    {
      ...opts,
      schema: { ...opts.schema, querystring: StatsQuery, response: { 200: Type.Array(DeptStats), ...STAFF_ERRORS } },
    },
    async (request) => departmentStats(app, request.query),
  );

  app.get(
    '/api/supervision/stats.csv',
    {
      ...opts,
      schema: {
        ...opts.schema,
        summary: 'The rows of GET /api/supervision/stats as CSV for Excel (UTF-8 with BOM, CRLF)',
        querystring: StatsQuery,
        response: {
          200: { description: 'CSV, one row per department', content: { 'text/csv': { schema: Type.String() } } },
          ...STAFF_ERRORS,
        },
      },
    },
    async (request, reply) => {
      const q = request.query;
      const period = statsPeriod(q);
      const [rows, names] = await Promise.all([departmentStats(app, q), departmentNames(app)]);
      const csv = statsCsv(rows, names);
      return reply
        .header('content-type', 'text/csv; charset=utf-8')
        .header(
          'content-disposition',
          `attachment; filename="stats-${period.fromDate}_${period.toDate}.csv"; filename*=UTF-8''${encodeURIComponent(`效能考核-${period.fromDate}_${period.toDate}.csv`)}`,
        )
        .send(csv);
    },
  );

  app.get(
    '/api/supervision/stats/matters',
    {
      ...opts,
      schema: {
        ...opts.schema,
        summary:
          'Per matter: 好差评 of its cases rated in the period (count, satisfaction rate, bad reviews, remediated on time)',
        querystring: StatsQuery,
        response: { 200: Type.Array(MatterStats), ...STAFF_ERRORS },
      },
    },
    async (request) => matterStats(app, request.query),
  );

  app.get(
    '/api/supervision/stats/matters.csv',
    {
      ...opts,
      schema: {
        ...opts.schema,
        summary: 'The rows of GET /api/supervision/stats/matters as CSV for Excel (UTF-8 with BOM, CRLF)',
        querystring: StatsQuery,
        response: {
          200: { description: 'CSV, one row per matter', content: { 'text/csv': { schema: Type.String() } } },
          ...STAFF_ERRORS,
        },
      },
    },
    async (request, reply) => {
      const period = statsPeriod(request.query);
      const csv = matterStatsCsv(await matterStats(app, request.query));
      return reply
        .header('content-type', 'text/csv; charset=utf-8')
        .header(
          'content-disposition',
          `attachment; filename="ratings-${period.fromDate}_${period.toDate}.csv"; filename*=UTF-8''${encodeURIComponent(`好差评-${period.fromDate}_${period.toDate}.csv`)}`,
        )
        .send(csv);
    },
  );

  app.get(
    '/api/supervision/trend',
    {
      ...opts,
      schema: {
        ...opts.schema,
        summary: 'Per department and week (Monday to Sunday): the assessment figures; by default the last 12 weeks',
        querystring: TrendQuery,
        response: { 200: Type.Array(WeeklyFigures), ...STAFF_ERRORS },
      },
    },
    async (request) => {
      const q = request.query;
      const todayDay = dayNumber(toShanghaiIso(Date.now()).slice(0, 10))!;
      const thisMonday = todayDay - ((todayDay + 3) % 7);
      const fromDay = q.from ? dayNumber(q.from) : thisMonday - 11 * 7;
      const toDay = q.to ? dayNumber(q.to) : todayDay;
      if (fromDay === null || toDay === null || toDay < fromDay || toDay - fromDay > 3 * 366)
        throw refusal(
          'invalid_period',
          '`from` and `to` must be valid dates, `from` on or before `to`, at most 3 years apart',
        );
      const weeks = await weeklyFigures(app.db, fromDay, toDay + 1, q.dept);
      return weeks.map(({ weekStartDay, ...f }) => ({
        weekStart: toIsoDate(weekStartDay),
        ...f,
        onTimeRate: f.given ? f.onTime / f.given : null,
        // The weekly trend scores the time-limit part (ratings come per period, in the statistics).
        score: score(app.config.scoring, f),
      }));
    },
  );

  app.get(
    '/api/supervision/summary',
    {
      ...opts,
      schema: {
        ...opts.schema,
        summary: 'The dashboard counts: overdue, at risk and stuck cases in all and per department holding them up',
        querystring: SummaryQuery,
        response: { 200: SupervisionSummary, ...STAFF_ERRORS },
      },
    },
    async (request) => {
      const stalledHours = request.query.stalledHours ?? 24;
      const counts = await supervisionCounts(app.db, new Date(), stalledHours);
      return {
        ...counts,
        stalledHours,
        departments: counts.departments.map((d) => ({
          ...d,
          oldestSince: d.oldestSince ? iso(d.oldestSince) : null,
        })),
      };
    },
  );
};

const dayNumber = (isoDate: string) => {
  const ms = parseDateOrInstant(isoDate);
  return ms === null ? null : shanghaiDayOf(ms);
};

/** A statistics period: whole Shanghai days, both ends included; by default the current month so far. */
function statsPeriod(q: { from?: string; to?: string }) {
  const today = toShanghaiIso(Date.now()).slice(0, 10);
  const fromDate = q.from ?? `${today.slice(0, 8)}01`;
  const toDate = q.to ?? today;
  const from = parseDateOrInstant(fromDate);
  const until = parseDateOrInstant(toDate);
  if (from === null || until === null || until < from)
    throw refusal('invalid_period', '`from` and `to` must be valid dates, `from` on or before `to`');
  return { fromDate, toDate, from: new Date(from), to: new Date(until + 86_400_000) }; // `to` is inclusive
}

async function departmentStats(app: Pick<FastifyInstance, 'db' | 'config'>, q: { from?: string; to?: string }) {
  const period = statsPeriod(q);
  const [figures, ratings] = await Promise.all([
    departmentFigures(app.db, period.from, period.to),
    ratingCounts(app.db, period.from, period.to, 'dept'),
  ]);
  // A department rated in the period without a task assigned in it still has its row.
  const depts = [...new Set([...figures.map((f) => f.dept), ...ratings.keys()])].sort();
  const byDept = new Map(figures.map((f) => [f.dept, f]));
  return depts.map((dept) => {
    const { days, ...f } = byDept.get(dept) ?? { ...NO_TASKS, dept };
    const r = ratings.get(dept) ?? NO_RATINGS;
    return {
      ...f,
      ...ratingFigures(r),
      medianDays: percentile(days, 50),
      p90Days: percentile(days, 90),
      score: score(app.config.scoring, { ...f, ...r }),
    };
  });
}

const NO_TASKS = { received: 0, given: 0, onTime: 0, late: 0, lateWorkingDays: 0, deemed: 0, urged: 0, days: [] };

async function matterStats(app: Pick<FastifyInstance, 'db'>, q: { from?: string; to?: string }) {
  const period = statsPeriod(q);
  const [ratings, matters] = await Promise.all([
    ratingCounts(app.db, period.from, period.to, 'matter'),
    listMatters(app.db),
  ]);
  const names = new Map(matters.map((m) => [m.code, m.name]));
  return [...ratings].map(([matterCode, r]) => ({
    matterCode,
    matterName: names.get(matterCode) ?? '',
    ...ratingFigures(r),
  }));
}

async function departmentNames(app: Pick<FastifyInstance, 'db'>): Promise<Map<string, string>> {
  return new Map((await listDepartments(app.db)).map((d) => [d.code, d.name]));
}

const RATING_COLUMNS = ['评价数', '满意率', '差评数', '按时整改'];

const CSV_COLUMNS = [
  '部门编码',
  '部门名称',
  '收件数',
  '已办结',
  '按时',
  '超时',
  '超时工作日',
  '视同同意',
  '被督办次数',
  '用时中位数（工作日）',
  '用时P90（工作日）',
  '得分',
  ...RATING_COLUMNS,
];

/**
 * CSV that Excel opens as UTF-8 (the BOM) with one row per department, as GET /api/supervision/stats.
 * A text cell starting with = + - @ (or a tab/CR) would be taken for a formula: it is prefixed with '.
 */
export function statsCsv(rows: Awaited<ReturnType<typeof departmentStats>>, names: Map<string, string>): string {
  return stringify(
    [
      CSV_COLUMNS,
      ...rows.map((r) => [
        text(r.dept),
        text(names.get(r.dept) ?? ''),
        r.received,
        r.given,
        r.onTime,
        r.late,
        r.lateWorkingDays,
        r.deemed,
        r.urged,
        r.medianDays ?? '',
        r.p90Days ?? '',
        r.score,
        ...ratingCells(r),
      ]),
    ],
    { bom: true, record_delimiter: 'windows' },
  );
}

/** The same for GET /api/supervision/stats/matters: one row per matter rated in the period. */
export function matterStatsCsv(rows: Awaited<ReturnType<typeof matterStats>>): string {
  return stringify(
    [
      ['事项编码', '事项名称', ...RATING_COLUMNS],
      ...rows.map((r) => [text(r.matterCode), text(r.matterName), ...ratingCells(r)]),
    ],
    { bom: true, record_delimiter: 'windows' },
  );
}

const text = (v: string) => (/^[=+\-@\t\r]/.test(v) ? `'${v}` : v);

/** The satisfaction rate as Excel shows a percentage cell's text (two decimals), empty with no rating. */
const ratingCells = (r: ReturnType<typeof ratingFigures>) => [
  r.ratings,
  r.satisfactionRate === null ? '' : `${(r.satisfactionRate * 100).toFixed(2)}%`,
  r.badReviews,
  r.remediatedOnTime,
];
