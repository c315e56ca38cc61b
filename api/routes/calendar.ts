import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { putCalendarYear } from '../../db/repositories/calendars';
import {
  deadlineAfter,
  deadlineDay,
  fromIsoDate,
  parseDateOrInstant,
  shanghaiDayStart,
  toIsoDate,
  toShanghaiIso,
  validateCalendarYear,
} from '../../domain/calendar';
import { invalid } from '../../domain/errors';
import { CalendarYearBody, DeadlineQuery, YearParams } from '../schemas';
import { STAFF_ERRORS, staff } from './common';

/** The years a calendar may cover (as PUT /api/calendar/:year); outside them a date is a typo, not a question. */
const EARLIEST = shanghaiDayStart(fromIsoDate('2000-01-01'));
const LATEST = shanghaiDayStart(fromIsoDate('2101-01-01'));

export async function calendarRoutes(app: FastifyInstance): Promise<void> {
  const admin = staff(app, ['admin'], ['calendar']);
  const anyStaff = staff(app, [], ['calendar']);

  app.put(
    '/api/calendar/:year',
    {
      ...admin,
      schema: {
        ...admin.schema,
        params: YearParams,
        body: CalendarYearBody,
        response: {
          200: Type.Object({
            year: Type.Integer(),
            holidays: Type.Array(Type.String()),
            workdays: Type.Array(Type.String()),
          }),
          ...STAFF_ERRORS,
        },
      },
    },
    async (request) => {
      const { year } = request.params as { year: number };
      const body = request.body as { holidays: string[]; workdays: string[] };
      const data = { holidays: [...new Set(body.holidays)].sort(), workdays: [...new Set(body.workdays)].sort() };
      const problems = validateCalendarYear(String(year), data);
      if (problems.length) throw invalid('invalid_calendar', problems.join('; '));
      await putCalendarYear(app.db, year, data);
      return { year, ...data };
    },
  );

  app.get(
    '/api/calendar/deadline',
    {
      ...anyStaff,
      schema: {
        ...anyStaff.schema,
        querystring: DeadlineQuery,
        response: {
          200: Type.Object({
            deadline: Type.String(),
            lastDay: Type.Union([Type.String(), Type.Null()]),
            calendar: Type.String(),
          }),
          ...STAFF_ERRORS,
        },
      },
    },
    async (request) => {
      const { from, workingDays } = request.query as { from: string; workingDays: number };
      const start = parseDateOrInstant(from);
      if (start === null || start < EARLIEST || start >= LATEST)
        throw invalid(
          'invalid_date',
          '`from` must be YYYY-MM-DD or an ISO 8601 instant with offset, in the years 2000 to 2100',
        );
      const time = await app.cases.timeModel();
      const deadline = deadlineAfter(time, start, workingDays);
      // `deadline` is the instant the limit ends (24:00 of its last day); `lastDay` names that day.
      const lastDay = time.kind === 'calendar' ? toIsoDate(deadlineDay(time, deadline)) : null;
      return {
        deadline: toShanghaiIso(deadline),
        lastDay,
        calendar: time.kind === 'calendar' ? time.calendar.version : 'demo',
      };
    },
  );
}
