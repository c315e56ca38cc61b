import { calendarVersion, type CalendarYearData, type TimeModel, type WorkingCalendar } from '../../domain/calendar';
import { OFFICIAL_CALENDAR_YEARS } from '../../domain/calendar-data';
import type { TimeModelRef } from '../../domain/types';
import type { DbOrTrx } from '../index';

/** The calendar in force: the shipped State Council years, overridden or extended by admins. */
export async function currentCalendar(db: DbOrTrx): Promise<WorkingCalendar> {
  const rows = await db.selectFrom('calendar_years').select(['year', 'holidays', 'workdays']).execute();
  return calendarOfRows(db, rows);
}

/** The published years as stored, as read beside something else (see catalog.ts submissionReferences). */
export type CalendarYearRow = {
  year: number;
  holidays: CalendarYearData['holidays'];
  workdays: CalendarYearData['workdays'];
};

/**
 * The calendar in force built from the published years' rows. The rows are read every time (so a
 * year another API process published counts at once); what is computed from them (the merged
 * years and their content hash) is reused while they stay the same.
 */
export async function calendarOfRows(db: DbOrTrx, rows: readonly CalendarYearRow[]): Promise<WorkingCalendar> {
  const text = JSON.stringify(rows.map((r) => [r.year, r.holidays, r.workdays]));
  if (lastBuilt?.rows === text) return lastBuilt.calendar;
  const years: Record<string, CalendarYearData> = { ...OFFICIAL_CALENDAR_YEARS };
  for (const row of rows) years[String(row.year)] = { holidays: row.holidays, workdays: row.workdays };
  const calendar = { version: calendarVersion(years), years };
  await rememberCalendar(db, calendar);
  lastBuilt = { rows: text, calendar };
  return calendar;
}
let lastBuilt: { rows: string; calendar: WorkingCalendar } | undefined;

/** The calendar in force and which of its years admins published (the rest ship with the system). */
export async function calendarYears(db: DbOrTrx): Promise<{ calendar: WorkingCalendar; published: Set<string> }> {
  const rows = await db.selectFrom('calendar_years').select('year').execute();
  return { calendar: await currentCalendar(db), published: new Set(rows.map((r) => String(r.year))) };
}

/** Every calendar a case used is kept by version, so its deadlines can be recomputed and explained. */
async function rememberCalendar(db: DbOrTrx, calendar: WorkingCalendar): Promise<void> {
  if (versionCache.has(calendar.version)) return;
  await db
    .insertInto('calendar_versions')
    .values({ version: calendar.version, years: JSON.stringify(calendar.years) })
    .onConflict((oc) => oc.column('version').doNothing())
    .execute();
  versionCache.set(calendar.version, calendar);
}

export async function putCalendarYear(db: DbOrTrx, year: number, data: CalendarYearData): Promise<void> {
  await db
    .insertInto('calendar_years')
    .values({ year, holidays: JSON.stringify(data.holidays), workdays: JSON.stringify(data.workdays) })
    .onConflict((oc) =>
      oc.column('year').doUpdateSet({
        holidays: JSON.stringify(data.holidays),
        workdays: JSON.stringify(data.workdays),
        updated_at: new Date(),
      }),
    )
    .execute();
}

const versionCache = new Map<string, WorkingCalendar>();

/** The full time model behind a case's recorded reference. */
export async function resolveTimeModel(db: DbOrTrx, ref: TimeModelRef): Promise<TimeModel> {
  if (ref.kind === 'demo') return ref;
  const cached = versionCache.get(ref.version);
  if (cached) return { kind: 'calendar', calendar: cached };
  const row = await db
    .selectFrom('calendar_versions')
    .select('years')
    .where('version', '=', ref.version)
    .executeTakeFirst();
  const years = row?.years ?? OFFICIAL_CALENDAR_YEARS;
  const calendar = { version: ref.version, years };
  versionCache.set(ref.version, calendar);
  return { kind: 'calendar', calendar };
}
