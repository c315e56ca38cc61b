import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { calendarYears } from '../../db/repositories/calendars';
import { getRepublication } from '../../db/repositories/republications';
import {
  calendarVersion,
  deadlineAfter,
  deadlineDay,
  fromIsoDate,
  parseDateOrInstant,
  shanghaiDayStart,
  toIsoDate,
  toShanghaiIso,
  validateCalendarYear,
} from '../../domain/calendar';
import { refusal } from '../../domain/errors';
import { publishCalendarYear } from '../services/calendar-service';
import {
  CalendarPublished,
  CalendarYearBody,
  CalendarYearView,
  DeadlineQuery,
  RepublicationParams,
  RepublicationView,
  YearParams,
} from '../schemas';
import { STAFF_ERRORS, staff } from './common';

/** The years a calendar may cover (as PUT /api/calendar/:year); outside them a date is a typo, not a question. */
const EARLIEST = shanghaiDayStart(fromIsoDate('2000-01-01'));
const LATEST = shanghaiDayStart(fromIsoDate('2101-01-01'));

export const calendarRoutes: FastifyPluginAsyncTypebox = async (app) => {
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
        response: { 200: CalendarPublished, ...STAFF_ERRORS },
      },
    },
    async (request) => {
      const { year } = request.params;
      const body = request.body;
      const data = { holidays: [...new Set(body.holidays)].sort(), workdays: [...new Set(body.workdays)].sort() };
      const problems = validateCalendarYear(String(year), data);
      if (problems.length) throw refusal('invalid_calendar', problems.join('; '));
      const published = await publishCalendarYear(app, year, data);
      return {
        year,
        ...data,
        version: calendarVersion({ [String(year)]: data }),
        calendar: published.version,
        affectedCases: published.affectedCases,
        republicationId: published.republicationId,
      };
    },
  );

  app.get(
    '/api/calendar',
    { ...anyStaff, schema: { ...anyStaff.schema, response: { 200: Type.Array(CalendarYearView), ...STAFF_ERRORS } } },
    async () => {
      const { calendar, published } = await calendarYears(app.db);
      return Object.keys(calendar.years)
        .sort()
        .map((y) => {
          const data = calendar.years[y]!;
          return {
            year: Number(y),
            version: calendarVersion({ [y]: data }),
            holidays: [...data.holidays].sort(),
            workdays: [...data.workdays].sort(),
            source: published.has(y) ? ('published' as const) : ('shipped' as const),
            calendar: calendar.version,
          };
        });
    },
  );

  app.get(
    '/api/calendar/republications/:id',
    {
      ...anyStaff,
      schema: {
        ...anyStaff.schema,
        params: RepublicationParams,
        response: { 200: RepublicationView, ...STAFF_ERRORS },
      },
    },
    async (request) => {
      const r = await getRepublication(app.db, request.params.id);
      if (!r) throw refusal('republication_not_found', 'no such calendar republication');
      return {
        ...r,
        startedAt: toShanghaiIso(r.startedAt.getTime()),
        finishedAt: r.finishedAt ? toShanghaiIso(r.finishedAt.getTime()) : null,
      };
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
      const { from, workingDays } = request.query;
      const start = parseDateOrInstant(from);
      if (start === null || start < EARLIEST || start >= LATEST)
        throw refusal(
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
};
