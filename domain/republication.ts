import {
  addWorkingDays,
  dayOf,
  deadlineDay,
  startOfDay,
  toIsoDate,
  warningAt,
  workingDaysBetween,
  type CalendarYearData,
  type TimeModel,
  type WorkingCalendar,
} from './calendar';
import type { Draft } from './draft';
import { refusal } from './errors';
import type { DeadlineKind, RecomputedDeadline } from './events';
import { deptWarnDays } from './timers';
import type { Alert, CaseState } from './types';

/**
 * A new year's calendar for running cases (domain.md, "Newer instruments"). A case counts with the
 * calendar it was accepted under; a year the State Council had not yet published counts weekends
 * only, so deadlines reaching into it are provisional. When a year is published or corrected, each
 * open case adopts the calendar in force and its open deadlines are counted again.
 */

/** One working-day deadline of the case that is still ahead (what already fell due stands). */
interface OpenDeadline {
  kind: DeadlineKind;
  key?: string;
  at: number;
  /** The instant its count of working days began (acceptance, the copy to the department, the filing). */
  from: number;
}

/** The case's deadlines still to come at `now`, counted in working days. */
export function openDeadlines(s: CaseState, now: number): OpenDeadline[] {
  const out: OpenDeadline[] = [];
  const ahead = (at: number | undefined) => at !== undefined && at > now;
  const clockOpen = s.status === 'in_review' || s.status === 'suspended' || s.status === 'deciding';
  const accepted = s.acceptedAt ?? now;
  if (clockOpen && ahead(s.deadline) && !s.caseOverdue) out.push({ kind: 'case', at: s.deadline!, from: accepted });
  if (clockOpen && ahead(s.statutoryDeadline))
    out.push({ kind: 'statutory', at: s.statutoryDeadline!, from: accepted });
  if (s.status === 'in_review' || s.status === 'suspended')
    for (const t of s.departments)
      if (t.status === 'pending' && !t.overdue && ahead(t.dueAt))
        out.push({ kind: 'department', key: t.dept, at: t.dueAt, from: t.assignedAt });
  for (const m of s.deferred ?? [])
    if (m.suppliedAt === undefined && clockOpen && ahead(m.dueAt))
      out.push({ kind: 'deferred', key: m.code, at: m.dueAt!, from: accepted });
  const v = s.verification;
  if (v && !v.outcome && !v.overdue && ahead(v.dueAt))
    out.push({ kind: 'verification', at: v.dueAt, from: s.decidedAt ?? now });
  const review = s.negativeReview;
  if (s.status === 'negative_review' && review && !review.overdue && ahead(review.dueAt))
    out.push({ kind: 'negative_review', at: review.dueAt, from: review.filedAt });
  return out;
}

/** Calendar years whose arrangement differs between the two calendars. */
export function changedYears(before: WorkingCalendar, after: WorkingCalendar): string[] {
  const same = (a: CalendarYearData | undefined, b: CalendarYearData | undefined) =>
    JSON.stringify(a ? [[...a.holidays].sort(), [...a.workdays].sort()] : null) ===
    JSON.stringify(b ? [[...b.holidays].sort(), [...b.workdays].sort()] : null);
  return [...new Set([...Object.keys(before.years), ...Object.keys(after.years)])]
    .filter((y) => !same(before.years[y], after.years[y]))
    .sort();
}

const yearOf = (day: number) => toIsoDate(day).slice(0, 4);

/** Whether counting from `since` to the deadline's last day passes through one of `years`. */
function touches(time: TimeModel, since: number, at: number, years: ReadonlySet<string>): boolean {
  const from = Number(yearOf(dayOf(time, since)));
  const to = Number(yearOf(deadlineDay(time, at)));
  for (let y = from; y <= to; y++) if (years.has(String(y))) return true;
  return false;
}

/**
 * A deadline still ahead counted again under a new calendar: the same number of working days from
 * the day its count began (suspensions and extensions included, as they were added). Only deadlines
 * still ahead are recounted, and none to before the end of today: nobody becomes late retroactively.
 */
export function recount(before: TimeModel, after: TimeModel, now: number, d: { at: number; from: number }): number {
  const start = dayOf(before, d.from);
  const days = workingDaysBetween(before, start, deadlineDay(before, d.at));
  const recounted = startOfDay(after, addWorkingDays(after, start, days) + 1);
  return Math.max(recounted, startOfDay(after, dayOf(after, now) + 1));
}

/**
 * A deadline is provisional while counting to it runs through a year the case's calendar does not
 * have (weekends only until the State Council publishes it).
 */
export function isProvisional(time: TimeModel, now: number, at: number | undefined): boolean {
  if (time.kind !== 'calendar' || at === undefined || at <= now) return false;
  const from = Number(yearOf(dayOf(time, now)));
  const to = Number(yearOf(deadlineDay(time, at)));
  for (let y = from; y <= to; y++) if (!time.calendar.years[String(y)]) return true;
  return false;
}

export function deadlineProvisional(s: CaseState, time: TimeModel, now: number): boolean {
  return openDeadlines(s, now).some((d) => isProvisional(time, now, d.at));
}

/** The system adopts the calendar in force: deadlines touching a changed year are counted again. */
export function applyCalendar(d: Draft, calendar: WorkingCalendar): void {
  if (d.ctx.actor.role !== 'system') throw refusal('forbidden_role', 'only the system applies a calendar');
  const { now, time: before } = d.ctx;
  const s = d.current;
  if (before.kind !== 'calendar' || before.calendar.version === calendar.version) return;
  const after: TimeModel = { kind: 'calendar', calendar };
  const years = new Set(changedYears(before.calendar, calendar));
  const open = openDeadlines(s, now);
  const touched = open.some((x) => touches(before, x.from, x.at, years));
  const previousCalendar = before.calendar.version;
  if (!touched) return d.emit({ type: 'calendar_adopted', data: { calendar: calendar.version, previousCalendar } });

  const deadlines: RecomputedDeadline[] = open.map((x) => ({
    kind: x.kind,
    ...(x.key ? (x.kind === 'deferred' ? { code: x.key } : { dept: x.key }) : {}),
    before: x.at,
    after: recount(before, after, now, x),
  }));
  const moved = (kind: DeadlineKind, key?: string) =>
    deadlines.find((x) => x.kind === kind && (key === undefined || x.dept === key))?.after;
  // Alerts are judged again against the moved deadlines; a warning whose moment is now still ahead is re-armed.
  const caseDeadline = moved('case');
  const caseWarned =
    caseDeadline === undefined ? s.caseWarned : now >= warningAt(after, caseDeadline, s.matter.warnDays);
  const alert: Alert = caseDeadline === undefined ? s.alert : s.caseOverdue ? 'red' : caseWarned ? 'yellow' : 'none';
  const departments = s.departments
    .filter((t) => moved('department', t.dept) !== undefined)
    .map((t) => {
      const warned = now >= warningAt(after, moved('department', t.dept)!, deptWarnDays(s));
      return { dept: t.dept, round: t.round, warned, alert: (warned ? 'yellow' : 'none') as Alert };
    });
  d.emit({
    type: 'deadlines_recomputed',
    data: {
      calendar: calendar.version,
      previousCalendar,
      years: [...years],
      deadlines,
      alerts: { case: alert, caseWarned, departments },
    },
  });
}
