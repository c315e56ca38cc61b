import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { putCalendarYear } from '../../db/repositories/calendars';
import { deadlineAfter, parseDateOrInstant, toShanghaiIso, validateCalendarYear } from '../../domain/calendar';
import { invalid } from '../../domain/errors';
import { CalendarYearBody, DeadlineQuery, YearParams } from '../schemas';
import { STAFF_ERRORS, staff } from './common';

export async function calendarRoutes(app: FastifyInstance): Promise<void> {
  const admin = staff(app, ['admin'], ['calendar']);
  const anyStaff = staff(app, [], ['calendar']);

  app.put('/api/calendar/:year', {
    ...admin,
    schema: { ...admin.schema, params: YearParams, body: CalendarYearBody, response: { 200: Type.Object({ year: Type.Integer(), holidays: Type.Array(Type.String()), workdays: Type.Array(Type.String()) }), ...STAFF_ERRORS } },
  }, async (request) => {
    const { year } = request.params as { year: number };
    const body = request.body as { holidays: string[]; workdays: string[] };
    const data = { holidays: [...new Set(body.holidays)].sort(), workdays: [...new Set(body.workdays)].sort() };
    const problems = validateCalendarYear(String(year), data);
    if (problems.length) throw invalid('invalid_calendar', problems.join('; '));
    await putCalendarYear(app.db, year, data);
    return { year, ...data };
  });

  app.get('/api/calendar/deadline', {
    ...anyStaff,
    schema: { ...anyStaff.schema, querystring: DeadlineQuery, response: { 200: Type.Object({ deadline: Type.String(), calendar: Type.String() }), ...STAFF_ERRORS } },
  }, async (request) => {
    const { from, workingDays } = request.query as { from: string; workingDays: number };
    const start = parseDateOrInstant(from);
    if (start === null) throw invalid('invalid_date', '`from` must be YYYY-MM-DD or an ISO 8601 instant with offset');
    const time = await app.cases.timeModel();
    return { deadline: toShanghaiIso(deadlineAfter(time, start, workingDays)), calendar: time.kind === 'calendar' ? time.calendar.version : 'demo' };
  });
}
