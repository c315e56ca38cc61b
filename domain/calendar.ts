/**
 * Working-day arithmetic for time limits (限时办结), see docs spec domain.md
 * "Time limits" → "Counting working days".
 *
 * Pure and deterministic on purpose: this module is bundled into Temporal workflow code, so it
 * uses no Node built-ins, no Date, no Intl and no third-party code. Asia/Shanghai is a fixed
 * UTC+08:00 offset (no DST since 1991), so local days are plain integer arithmetic on epoch ms.
 */

export type IsoDate = string; // 'YYYY-MM-DD', Asia/Shanghai calendar date

/** One year of the State Council's arrangement. `workdays` are the make-up working days (调休上班), all on Sat/Sun. */
export interface CalendarYearData {
  holidays: IsoDate[];
  workdays: IsoDate[];
}

/** The calendar is data, keyed by year ('2026'); `version` is recorded with every computed deadline for audits. */
export interface WorkingCalendar {
  version: string;
  years: Record<string, CalendarYearData>;
}

export type TimeModel =
  { kind: 'calendar'; calendar: WorkingCalendar } | { kind: 'demo'; epochMs: number; dayMs: number }; // demo clock: every day is a working day

/** calendar: days since 1970-01-01 in Shanghai local time; demo: floor((ms - epochMs) / dayMs). */
export type DayNo = number;

const DAY_MS = 86_400_000;
/** Asia/Shanghai's fixed offset from UTC, the only place it is written. */
export const SHANGHAI_OFFSET_MS = 8 * 3_600_000;
/** Safety bound: no real calendar has a year of consecutive rest days; stops a bad calendar from hanging a workflow. */
const MAX_REST_RUN = 400;

// ---------------------------------------------------------------------------------------------
// Guards

function assertInt(name: string, v: number): void {
  // Day numbers and counts must be integers; NaN would otherwise make the step loops spin forever.
  if (!Number.isSafeInteger(v)) throw new RangeError(`${name} must be an integer, got ${v}`);
}

function assertInstant(v: number): void {
  if (!Number.isFinite(v)) throw new RangeError(`instant must be a finite number of ms, got ${v}`);
}

function assertDemo(model: { epochMs: number; dayMs: number }): void {
  if (!Number.isFinite(model.epochMs) || !(model.dayMs > 0) || !Number.isFinite(model.dayMs)) {
    throw new RangeError(`demo clock needs a finite epochMs and dayMs > 0`);
  }
}

// ---------------------------------------------------------------------------------------------
// Civil dates ↔ day numbers (proleptic Gregorian; Howard Hinnant's days_from_civil / civil_from_days)

function daysFromCivil(y: number, m: number, d: number): DayNo {
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146_097 + doe - 719_468;
}

function civilFromDays(z: DayNo): { y: number; m: number; d: number } {
  const zz = z + 719_468;
  const era = Math.floor(zz / 146_097);
  const doe = zz - era * 146_097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  return { y: yoe + era * 400 + (m <= 2 ? 1 : 0), m, d };
}

function isLeapYear(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}

function daysInMonth(y: number, m: number): number {
  return m === 2 ? (isLeapYear(y) ? 29 : 28) : [4, 6, 9, 11].includes(m) ? 30 : 31;
}

function isValidCivil(y: number, m: number, d: number): boolean {
  return m >= 1 && m <= 12 && d >= 1 && d <= daysInMonth(y, m);
}

const pad = (n: number, w = 2): string => String(n).padStart(w, '0');

/** Day number → 'YYYY-MM-DD'. */
export function toIsoDate(day: DayNo): IsoDate {
  assertInt('day', day);
  const { y, m, d } = civilFromDays(day);
  return `${pad(y, 4)}-${pad(m)}-${pad(d)}`;
}

const ISO_DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Strict 'YYYY-MM-DD' → day number, or null for anything else (including 2026-02-30). */
function parseIsoDate(s: string): DayNo | null {
  const m = ISO_DATE_RE.exec(s);
  if (!m) return null;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  return isValidCivil(y, mo, d) ? daysFromCivil(y, mo, d) : null;
}

/** 'YYYY-MM-DD' → day number; throws on an invalid date (calendar data must never be silently wrong). */
export function fromIsoDate(d: IsoDate): DayNo {
  const day = parseIsoDate(d);
  if (day === null) throw new RangeError(`invalid ISO date: ${JSON.stringify(d)}`);
  return day;
}

/** 0 = Sunday … 6 = Saturday. 1970-01-01 was a Thursday. */
function weekdayOf(day: DayNo): number {
  return (((day + 4) % 7) + 7) % 7;
}

// ---------------------------------------------------------------------------------------------
// Instants ↔ days

export function dayOf(model: TimeModel, instantMs: number): DayNo {
  assertInstant(instantMs);
  if (model.kind === 'demo') {
    assertDemo(model);
    return Math.floor((instantMs - model.epochMs) / model.dayMs);
  }
  return shanghaiDayOf(instantMs);
}

export function startOfDay(model: TimeModel, day: DayNo): number {
  assertInt('day', day);
  if (model.kind === 'demo') {
    assertDemo(model);
    return model.epochMs + day * model.dayMs;
  }
  return shanghaiDayStart(day);
}

/**
 * The Shanghai calendar day of an instant whatever clock a case runs on: what statistics are kept
 * by (dept_task_figures.day) and what ISO dates in the API name.
 */
export function shanghaiDayOf(instantMs: number): DayNo {
  return Math.floor((instantMs + SHANGHAI_OFFSET_MS) / DAY_MS);
}

/** The instant a Shanghai calendar day begins (its 00:00 +08:00). */
export function shanghaiDayStart(day: DayNo): number {
  return day * DAY_MS - SHANGHAI_OFFSET_MS;
}

/** Whether an instant is exactly a Shanghai midnight (a period of whole days). */
export function isShanghaiMidnight(instantMs: number): boolean {
  return Number.isSafeInteger((instantMs + SHANGHAI_OFFSET_MS) / DAY_MS);
}

// ---------------------------------------------------------------------------------------------
// Working days

interface YearIndex {
  holidays: Set<DayNo>;
  workdays: Set<DayNo>;
}

// Calendar data is treated as immutable, so the parsed sets are cached per year object
// (WeakMap is deterministic and allowed in workflow code; it only avoids re-parsing).
const yearIndexCache = new WeakMap<CalendarYearData, YearIndex>();

function yearIndex(data: CalendarYearData): YearIndex {
  let idx = yearIndexCache.get(data);
  if (!idx) {
    idx = { holidays: new Set(data.holidays.map(fromIsoDate)), workdays: new Set(data.workdays.map(fromIsoDate)) };
    yearIndexCache.set(data, idx);
  }
  return idx;
}

function isCalendarWorkingDay(calendar: WorkingCalendar, day: DayNo): boolean {
  const data = calendar.years[String(civilFromDays(day).y)];
  if (data) {
    const idx = yearIndex(data);
    // Make-up days win over holidays, mirroring the notices (a day can't be both; validateCalendarYear checks that).
    if (idx.workdays.has(day)) return true;
    if (idx.holidays.has(day)) return false;
  }
  // Unlisted days, and years not yet published: Saturdays and Sundays rest, weekdays work.
  const wd = weekdayOf(day);
  return wd >= 1 && wd <= 5;
}

export function isWorkingDay(model: TimeModel, day: DayNo): boolean {
  assertInt('day', day);
  return model.kind === 'demo' ? true : isCalendarWorkingDay(model.calendar, day);
}

/** The Nth working day after `day` (the start day is not counted); n = 0 → `day`; n < 0 → Nth working day before. */
export function addWorkingDays(model: TimeModel, day: DayNo, n: number): DayNo {
  assertInt('day', day);
  assertInt('n', n);
  if (model.kind === 'demo') return day + n;
  const step = n > 0 ? 1 : -1;
  let cur = day;
  for (let left = Math.abs(n), rest = 0; left > 0;) {
    cur += step;
    if (isCalendarWorkingDay(model.calendar, cur)) {
      left--;
      rest = 0;
    } else if (++rest > MAX_REST_RUN) {
      throw new RangeError(`calendar has more than ${MAX_REST_RUN} consecutive rest days near ${toIsoDate(cur)}`);
    }
  }
  return cur;
}

/** Working days in (fromDay, toDay]; 0 when toDay <= fromDay. */
export function workingDaysBetween(model: TimeModel, fromDay: DayNo, toDay: DayNo): number {
  assertInt('fromDay', fromDay);
  assertInt('toDay', toDay);
  if (toDay <= fromDay) return 0;
  if (model.kind === 'demo') return toDay - fromDay;
  let count = 0;
  for (let d = fromDay + 1; d <= toDay; d++) if (isCalendarWorkingDay(model.calendar, d)) count++;
  return count;
}

// ---------------------------------------------------------------------------------------------
// Deadlines. A deadline is an instant: 24:00 (= next day's 00:00) of its last counted day.

/** A limit of N working days after the day of `instantMs` ends at 24:00 of the Nth working day (Civil Code Arts. 201, 203). */
export function deadlineAfter(model: TimeModel, instantMs: number, workingDays: number): number {
  return startOfDay(model, addWorkingDays(model, dayOf(model, instantMs), workingDays) + 1);
}

/** The last day a deadline instant counts (the deadline itself is that day's 24:00). */
export function deadlineDay(model: TimeModel, deadlineMs: number): DayNo {
  return dayOf(model, deadlineMs - 1);
}

/** Moves a deadline by N more working days (extension 延期, or days lost to a suspension). */
export function extendDeadline(model: TimeModel, deadlineMs: number, workingDays: number): number {
  assertInt('workingDays', workingDays);
  if (workingDays === 0) return deadlineMs; // moving by nothing must not even normalise the instant
  return startOfDay(model, addWorkingDays(model, deadlineDay(model, deadlineMs), workingDays) + 1);
}

/** A suspension from day S to day R moves the deadline by the working days in (S, R]; a same-day resume moves nothing. */
export function moveBySuspension(
  model: TimeModel,
  deadlineMs: number,
  suspendedFromMs: number,
  resumedAtMs: number,
): number {
  const lost = workingDaysBetween(model, dayOf(model, suspendedFromMs), dayOf(model, resumedAtMs));
  return extendDeadline(model, deadlineMs, lost);
}

/**
 * Working days left: those in (today, deadlineDay]. 0 on the deadline day itself (the limit runs
 * until its 24:00). When past: -(working days in (deadlineDay, today]) — the "late by" figure.
 */
export function remainingWorkingDays(model: TimeModel, deadlineMs: number, nowMs: number): number {
  const today = dayOf(model, nowMs);
  const last = deadlineDay(model, deadlineMs);
  if (last >= today) return workingDaysBetween(model, today, last);
  return 0 - workingDaysBetween(model, last, today); // `0 -` rather than unary minus: never return -0
}

/** The instant the remaining working days first reach `warnDays` (yellow warning). */
export function warningAt(model: TimeModel, deadlineMs: number, warnDays: number): number {
  assertInt('warnDays', warnDays);
  return startOfDay(model, addWorkingDays(model, deadlineDay(model, deadlineMs), -warnDays));
}

/** 00:00 of the first working day after the day of `instantMs` (escalation every working day while red). */
export function nextWorkingDayStart(model: TimeModel, instantMs: number): number {
  return startOfDay(model, addWorkingDays(model, dayOf(model, instantMs), 1));
}

// ---------------------------------------------------------------------------------------------
// Formatting and parsing of instants (always Shanghai, independent of the model)

/** Shanghai wall-clock date and time of an instant (fixed +08:00, so plain arithmetic). */
function shanghaiParts(instantMs: number): { date: IsoDate; time: string } {
  assertInstant(instantMs);
  const local = Math.floor(instantMs) + SHANGHAI_OFFSET_MS;
  const day = Math.floor(local / DAY_MS);
  const msOfDay = local - day * DAY_MS;
  const [h, mi, s, ms] = [
    Math.floor(msOfDay / 3_600_000),
    Math.floor(msOfDay / 60_000) % 60,
    Math.floor(msOfDay / 1000) % 60,
    msOfDay % 1000,
  ];
  return { date: toIsoDate(day), time: `${pad(h)}:${pad(mi)}:${pad(s)}${ms ? `.${pad(ms, 3)}` : ''}` };
}

/** e.g. '2026-10-11T00:00:00+08:00'; milliseconds are shown only when non-zero so the text round-trips. */
export function toShanghaiIso(instantMs: number): string {
  const { date, time } = shanghaiParts(instantMs);
  return `${date}T${time}+08:00`;
}

// RFC 3339 style: seconds and fraction optional, offset required ('Z' or ±HH:MM).
const ISO_INSTANT_RE =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(?:(Z)|([+-])(\d{2}):(\d{2}))$/;

function parseInstant(s: string): number | null {
  const m = ISO_INSTANT_RE.exec(s);
  if (!m) return null;
  const [y, mo, d, h, mi, sec] = [1, 2, 3, 4, 5, 6].map((i) => Number(m[i] ?? 0)) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const [offH, offM] = [Number(m[10] ?? 0), Number(m[11] ?? 0)];
  if (!isValidCivil(y, mo, d) || h > 23 || mi > 59 || sec > 59 || offH > 23 || offM > 59) return null;
  const frac = Number((m[7] ?? '').padEnd(3, '0').slice(0, 3)); // sub-millisecond digits are truncated
  const offsetMs = (m[9] === '-' ? -1 : 1) * (offH * 60 + offM) * 60_000;
  return daysFromCivil(y, mo, d) * DAY_MS + ((h * 60 + mi) * 60 + sec) * 1000 + frac - offsetMs;
}

/**
 * 'YYYY-MM-DD' → 00:00 of that Shanghai day; ISO instant with 'Z' or an offset → its epoch ms;
 * anything else (impossible dates, missing offset, garbage) → null.
 */
export function parseDateOrInstant(s: string): number | null {
  if (typeof s !== 'string') return null;
  const day = parseIsoDate(s);
  if (day !== null) return shanghaiDayStart(day);
  return parseInstant(s);
}

// ---------------------------------------------------------------------------------------------
// Calendar data: versioning and validation

/** FNV-1a 32-bit over UTF-16 code units (the canonical text is ASCII, so this equals hashing its bytes). */
function fnv1a32(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h.toString(16).padStart(8, '0');
}

const sortedUnique = (xs: readonly string[]): string[] => [...new Set(xs)].sort();

/** Canonical JSON: years and dates sorted and de-duplicated, so equal content always hashes equally. */
function canonicalCalendarJson(years: Record<string, CalendarYearData>): string {
  const keys = Object.keys(years).sort();
  return JSON.stringify(
    keys.map((k) => {
      const y = years[k] as CalendarYearData;
      return [k, sortedUnique(y.holidays), sortedUnique(y.workdays)];
    }),
  );
}

/** Stable short content hash, e.g. 'cal-2024-2026-1a2b3c4d'; recorded with each computed deadline. */
export function calendarVersion(years: Record<string, CalendarYearData>): string {
  const keys = Object.keys(years).sort();
  const span = keys.length ? `${keys[0]}-${keys[keys.length - 1]}` : 'empty';
  return `cal-${span}-${fnv1a32(canonicalCalendarJson(years))}`;
}

/** Builds a calendar whose version is derived from its content. */
export function buildCalendar(years: Record<string, CalendarYearData>): WorkingCalendar {
  return { version: calendarVersion(years), years };
}

/**
 * Problems with one year of calendar data (empty when fine): for the admin "add a year" path.
 * Checks the key, that every date is valid and in that year, that make-up days fall on Sat/Sun,
 * and that no day is both a holiday and a make-up working day.
 */
export function validateCalendarYear(yearKey: string, data: CalendarYearData): string[] {
  const problems: string[] = [];
  if (!/^\d{4}$/.test(yearKey)) problems.push(`year key must be 'YYYY', got ${JSON.stringify(yearKey)}`);
  const check = (kind: 'holidays' | 'workdays', d: IsoDate): void => {
    const day = parseIsoDate(d);
    if (day === null) return void problems.push(`${kind}: invalid date ${JSON.stringify(d)}`);
    if (!d.startsWith(`${yearKey}-`)) problems.push(`${kind}: ${d} is not in ${yearKey}`);
    const wd = weekdayOf(day);
    if (kind === 'workdays' && wd !== 0 && wd !== 6) problems.push(`workdays: ${d} is not a Saturday or Sunday`);
  };
  data.holidays.forEach((d) => check('holidays', d));
  data.workdays.forEach((d) => check('workdays', d));
  const holidaySet = new Set(data.holidays);
  data.workdays.filter((d) => holidaySet.has(d)).forEach((d) => problems.push(`${d} is both a holiday and a workday`));
  return problems;
}
