import { describe, it, expect, beforeAll } from 'vitest';
import { execFileSync } from 'node:child_process';
import {
  addWorkingDays,
  buildCalendar,
  calendarVersion,
  dayOf,
  deadlineAfter,
  deadlineDay,
  extendDeadline,
  fromIsoDate,
  isWorkingDay,
  moveBySuspension,
  nextWorkingDayStart,
  parseDateOrInstant,
  remainingWorkingDays,
  startOfDay,
  toIsoDate,
  toShanghaiIso,
  validateCalendarYear,
  warningAt,
  workingDaysBetween,
  type CalendarYearData,
  type TimeModel,
} from '../../domain/calendar';
import { OFFICIAL_CALENDAR_YEARS, SHIPPED_CALENDAR } from '../../domain/calendar-data';

const cal: TimeModel = { kind: 'calendar', calendar: SHIPPED_CALENDAR };

/** Shanghai instant from local wall-clock text, e.g. at('2026-09-24T10:30'). */
const at = (local: string): number => {
  const ms = parseDateOrInstant(local.length === 10 ? local : `${local}:00+08:00`);
  if (ms === null) throw new Error(`bad test instant ${local}`);
  return ms;
};
const day = fromIsoDate;
const iso = toIsoDate;
const shanghai = (ms: number): string => toShanghaiIso(ms);

const FIRST = day('2024-01-01');
const LAST = day('2026-12-31');

describe('domain.md examples', () => {
  it('accepted 2026-09-24, 6 working days → ends with 2026-10-10 (Saturday make-up day)', () => {
    const deadline = deadlineAfter(cal, at('2026-09-24T10:30'), 6);
    expect(shanghai(deadline)).toBe('2026-10-11T00:00:00+08:00');
    expect(deadline).toBe(Date.parse('2026-10-11T00:00:00+08:00'));
    expect(iso(deadlineDay(cal, deadline))).toBe('2026-10-10');
    expect(isWorkingDay(cal, day('2026-10-10'))).toBe(true);
  });

  it('the time of day of the acceptance does not matter, only its Shanghai date', () => {
    const expected = at('2026-10-11');
    expect(deadlineAfter(cal, at('2026-09-24T00:00'), 6)).toBe(expected);
    expect(deadlineAfter(cal, at('2026-09-24T23:59') + 59_999, 6)).toBe(expected);
    // 2026-09-24T16:00Z is already 2026-09-25 00:00 in Shanghai: a different start day.
    expect(dayOf(cal, Date.parse('2026-09-24T15:59:59.999Z'))).toBe(day('2026-09-24'));
    expect(dayOf(cal, Date.parse('2026-09-24T16:00:00Z'))).toBe(day('2026-09-25'));
  });

  it('accepted 2026-02-13, 2 working days → ends with 2026-02-24', () => {
    const deadline = deadlineAfter(cal, at('2026-02-13T09:00'), 2);
    expect(iso(deadlineDay(cal, deadline))).toBe('2026-02-24');
    expect(shanghai(deadline)).toBe('2026-02-25T00:00:00+08:00');
    // step by step: 02-14 (Sat make-up) is the 1st, 02-15..23 Spring Festival, 02-24 the 2nd
    expect(iso(addWorkingDays(cal, day('2026-02-13'), 1))).toBe('2026-02-14');
  });

  it('0 working days ends at 24:00 of the start day', () => {
    expect(shanghai(deadlineAfter(cal, at('2026-10-03T08:00'), 0))).toBe('2026-10-04T00:00:00+08:00');
  });
});

describe('suspension (S, R]', () => {
  const deadline = at('2026-10-11'); // last counted day 2026-10-10

  it('a same-day resume moves nothing', () => {
    expect(moveBySuspension(cal, deadline, at('2026-09-28T09:00'), at('2026-09-28T17:00'))).toBe(deadline);
    // even on a non-boundary deadline instant, nothing is normalised
    expect(moveBySuspension(cal, deadline + 123, at('2026-09-28T09:00'), at('2026-09-28T17:00'))).toBe(deadline + 123);
  });

  it('Friday → Monday moves by one working day (Sat and Sun are rest days)', () => {
    const moved = moveBySuspension(cal, deadline, at('2026-03-06T15:00'), at('2026-03-09T10:00'));
    expect(workingDaysBetween(cal, day('2026-03-06'), day('2026-03-09'))).toBe(1);
    expect(iso(deadlineDay(cal, moved))).toBe('2026-10-12'); // Sun 10-11 skipped
  });

  it('Saturday → Sunday (both rest days) moves nothing', () => {
    expect(moveBySuspension(cal, deadline, at('2026-03-07T10:00'), at('2026-03-08T10:00'))).toBe(deadline);
  });

  it('across the National Day holiday only 10-08 and 10-09 count', () => {
    expect(workingDaysBetween(cal, day('2026-09-30'), day('2026-10-09'))).toBe(2);
    const moved = moveBySuspension(cal, deadline, at('2026-09-30T11:00'), at('2026-10-09T11:00'));
    // 2 working days after 10-10: 10-12 (Mon), 10-13 (Tue)
    expect(shanghai(moved)).toBe('2026-10-14T00:00:00+08:00');
  });

  it('a make-up Saturday inside the suspension counts', () => {
    // (10-09, 10-12] = 10-10 (make-up Sat), 10-11 (Sun), 10-12 (Mon) → 2
    expect(workingDaysBetween(cal, day('2026-10-09'), day('2026-10-12'))).toBe(2);
  });

  it('two suspensions add up, and extensions move the deadline the same way', () => {
    let d = deadline;
    d = moveBySuspension(cal, d, at('2026-09-28T09:00'), at('2026-09-29T09:00')); // 1
    d = moveBySuspension(cal, d, at('2026-09-30T09:00'), at('2026-10-08T09:00')); // 1
    expect(d).toBe(extendDeadline(cal, deadline, 2));
    expect(iso(deadlineDay(cal, d))).toBe('2026-10-13');
  });
});

describe('extensions', () => {
  it('extendDeadline adds N working days after the last counted day', () => {
    const deadline = at('2026-09-30'); // last day 09-29
    expect(iso(deadlineDay(cal, extendDeadline(cal, deadline, 1)))).toBe('2026-09-30');
    expect(iso(deadlineDay(cal, extendDeadline(cal, deadline, 2)))).toBe('2026-10-08');
    expect(iso(deadlineDay(cal, extendDeadline(cal, deadline, 15)))).toBe('2026-10-26'); // the Art. 42 maximum
    expect(extendDeadline(cal, deadline, 0)).toBe(deadline);
  });
});

describe('late by, working days used, remaining days', () => {
  const deadline = at('2026-10-01'); // last counted day 2026-09-30

  it('late by = working days in (deadline day, decision day]', () => {
    expect(remainingWorkingDays(cal, deadline, at('2026-10-09T10:00'))).toBe(-2); // 10-08, 10-09
    expect(remainingWorkingDays(cal, deadline, at('2026-10-12T10:00'))).toBe(-4); // + 10-10 make-up, 10-12; 10-11 Sun
    expect(workingDaysBetween(cal, deadlineDay(cal, deadline), day('2026-10-12'))).toBe(4);
  });

  it('past the deadline but no working day since → 0, never -0', () => {
    const r = remainingWorkingDays(cal, deadline, at('2026-10-05T10:00'));
    expect(Object.is(r, 0)).toBe(true);
    expect(at('2026-10-05T10:00') >= deadline).toBe(true); // overdue is decided by the instant, not by this count
  });

  it('working days used = working days in (acceptance, decision] less suspended ones', () => {
    const used = workingDaysBetween(cal, day('2026-09-24'), day('2026-10-10'));
    const suspended = workingDaysBetween(cal, day('2026-09-28'), day('2026-09-30'));
    expect(used).toBe(6);
    expect(used - suspended).toBe(4);
  });

  it('remaining = working days in (today, deadline day]', () => {
    const d = at('2026-10-11'); // last counted day 2026-10-10
    expect(remainingWorkingDays(cal, d, at('2026-09-24T09:00'))).toBe(6);
    expect(remainingWorkingDays(cal, d, at('2026-09-30T23:59'))).toBe(3); // 10-08, 10-09, 10-10
    expect(remainingWorkingDays(cal, d, at('2026-10-10T23:59'))).toBe(0); // last day, still in time
    expect(remainingWorkingDays(cal, d, d)).toBe(0); // 10-11 is a Sunday
    expect(remainingWorkingDays(cal, d, at('2026-10-12T00:00'))).toBe(-1);
  });

  it('workingDaysBetween is 0 for an empty or reversed interval', () => {
    expect(workingDaysBetween(cal, day('2026-10-09'), day('2026-10-09'))).toBe(0);
    expect(workingDaysBetween(cal, day('2026-10-09'), day('2026-10-01'))).toBe(0);
  });
});

describe('warningAt', () => {
  it('is 00:00 of the day the remaining working days reach the threshold', () => {
    const d = at('2026-10-11'); // last day 10-10
    expect(shanghai(warningAt(cal, d, 3))).toBe('2026-09-30T00:00:00+08:00');
    expect(shanghai(warningAt(cal, d, 1))).toBe('2026-10-09T00:00:00+08:00');
    expect(shanghai(warningAt(cal, d, 0))).toBe('2026-10-10T00:00:00+08:00');
  });

  it('remaining is exactly warnDays at warningAt and warnDays + 1 just before', () => {
    for (let i = 0; i < 40; i++) {
      const accepted = startOfDay(cal, FIRST + ((i * 53) % 1000)) + 9 * 3_600_000;
      const deadline = deadlineAfter(cal, accepted, 5 + (i % 16));
      const w = 1 + (i % 4);
      const t = warningAt(cal, deadline, w);
      expect(remainingWorkingDays(cal, deadline, t)).toBe(w);
      expect(remainingWorkingDays(cal, deadline, t - 1)).toBe(w + 1);
    }
  });
});

describe('addWorkingDays', () => {
  it('counts backwards for negative n', () => {
    expect(iso(addWorkingDays(cal, day('2026-02-24'), -1))).toBe('2026-02-14'); // make-up Saturday
    expect(iso(addWorkingDays(cal, day('2026-02-24'), -2))).toBe('2026-02-13');
    expect(iso(addWorkingDays(cal, day('2026-10-08'), -1))).toBe('2026-09-30');
    expect(iso(addWorkingDays(cal, day('2026-01-05'), -1))).toBe('2026-01-04'); // make-up Sunday
    expect(iso(addWorkingDays(cal, day('2026-01-04'), -1))).toBe('2025-12-31'); // 01-01..03 New Year
  });

  it('n = 0 is the day itself, even on a holiday', () => {
    expect(iso(addWorkingDays(cal, day('2026-10-03'), 0))).toBe('2026-10-03');
  });

  it('forward and backward are inverse on working days', () => {
    for (let d = day('2026-01-01'); d <= day('2026-12-31'); d += 11) {
      if (!isWorkingDay(cal, d)) continue;
      for (const n of [1, 3, 7, 20]) expect(addWorkingDays(cal, addWorkingDays(cal, d, n), -n)).toBe(d);
    }
  });

  it('agrees with workingDaysBetween', () => {
    for (let d = FIRST; d <= LAST; d += 29) {
      for (const n of [1, 6, 20]) expect(workingDaysBetween(cal, d, addWorkingDays(cal, d, n))).toBe(n);
    }
  });

  it('rejects non-integer input instead of looping', () => {
    expect(() => addWorkingDays(cal, day('2026-01-05'), 1.5)).toThrow(RangeError);
    expect(() => addWorkingDays(cal, Number.NaN, 1)).toThrow(RangeError);
    expect(() => dayOf(cal, Number.NaN)).toThrow(RangeError);
  });

  it('stops with an error on a calendar without working days instead of hanging', () => {
    const allOff = (y: string): CalendarYearData => {
      const holidays: string[] = [];
      for (let d = day(`${y}-01-01`); d <= day(`${y}-12-31`); d++) holidays.push(iso(d));
      return { holidays, workdays: [] };
    };
    const bad: TimeModel = {
      kind: 'calendar',
      calendar: buildCalendar({ '2030': allOff('2030'), '2031': allOff('2031') }),
    };
    expect(() => addWorkingDays(bad, day('2029-12-31'), 1)).toThrow(/consecutive rest days/);
  });
});

describe('nextWorkingDayStart', () => {
  it('is 00:00 of the next working day', () => {
    expect(shanghai(nextWorkingDayStart(cal, at('2026-09-30T14:00')))).toBe('2026-10-08T00:00:00+08:00');
    expect(shanghai(nextWorkingDayStart(cal, at('2026-10-09T00:00')))).toBe('2026-10-10T00:00:00+08:00');
    expect(shanghai(nextWorkingDayStart(cal, at('2026-10-10T23:59')))).toBe('2026-10-12T00:00:00+08:00');
  });
});

describe('years absent from the calendar', () => {
  it('weekdays work and weekends rest', () => {
    expect(isWorkingDay(cal, day('2027-01-01'))).toBe(true); // Friday; 2027 not published yet
    expect(isWorkingDay(cal, day('2027-01-02'))).toBe(false); // Saturday
    expect(isWorkingDay(cal, day('2023-10-02'))).toBe(true); // a real 2023 holiday, but 2023 is not shipped
    expect(iso(deadlineDay(cal, deadlineAfter(cal, at('2026-12-30T10:00'), 3)))).toBe('2027-01-04');
  });

  it('adding a year changes both the answers and the version', () => {
    const y2027: CalendarYearData = { holidays: ['2027-01-01'], workdays: [] };
    const withNext = buildCalendar({ ...OFFICIAL_CALENDAR_YEARS, '2027': y2027 });
    expect(isWorkingDay({ kind: 'calendar', calendar: withNext }, day('2027-01-01'))).toBe(false);
    expect(withNext.version).toMatch(/^cal-2024-2027-[0-9a-f]{8}$/);
    expect(withNext.version).not.toBe(SHIPPED_CALENDAR.version);
  });
});

describe('demo model', () => {
  const epochMs = 1_800_000_000_000;
  const dayMs = 60_000;
  const demo: TimeModel = { kind: 'demo', epochMs, dayMs };

  it('days are floor((ms - epoch) / dayMs) and every day works', () => {
    expect(dayOf(demo, epochMs)).toBe(0);
    expect(dayOf(demo, epochMs + dayMs - 1)).toBe(0);
    expect(dayOf(demo, epochMs - 1)).toBe(-1);
    expect(startOfDay(demo, 3)).toBe(epochMs + 3 * dayMs);
    expect(isWorkingDay(demo, 5)).toBe(true);
    expect(isWorkingDay(demo, 6)).toBe(true);
    expect(addWorkingDays(demo, 5, -7)).toBe(-2);
    expect(workingDaysBetween(demo, 2, 9)).toBe(7);
    expect(workingDaysBetween(demo, 9, 2)).toBe(0);
  });

  it('deadlines, suspensions, remaining days and warnings', () => {
    const deadline = deadlineAfter(demo, epochMs + 30_000, 6); // day 0 + 6 → ends at start of day 7
    expect(deadline).toBe(epochMs + 7 * dayMs);
    expect(deadlineDay(demo, deadline)).toBe(6);
    expect(moveBySuspension(demo, deadline, epochMs + 10, epochMs + 20)).toBe(deadline);
    expect(moveBySuspension(demo, deadline, epochMs + 10, epochMs + 2 * dayMs + 5)).toBe(epochMs + 9 * dayMs);
    expect(remainingWorkingDays(demo, deadline, epochMs + 2 * dayMs)).toBe(4);
    expect(remainingWorkingDays(demo, deadline, epochMs + 9 * dayMs)).toBe(-3);
    expect(warningAt(demo, deadline, 2)).toBe(epochMs + 4 * dayMs);
    expect(nextWorkingDayStart(demo, epochMs + 1)).toBe(epochMs + dayMs);
    expect(extendDeadline(demo, deadline, 15)).toBe(epochMs + 22 * dayMs);
  });

  it('rejects a non-positive day length', () => {
    expect(() => dayOf({ kind: 'demo', epochMs, dayMs: 0 }, epochMs)).toThrow(RangeError);
  });
});

describe('dates and instants', () => {
  it('toIsoDate / fromIsoDate match Date over years 0000–9999', () => {
    expect(fromIsoDate('1970-01-01')).toBe(0);
    for (let d = day('0000-01-01'); d <= day('9999-12-31'); d += 997) {
      expect(iso(d)).toBe(new Date(d * 86_400_000).toISOString().slice(0, 10));
      expect(fromIsoDate(iso(d))).toBe(d);
    }
    expect(iso(day('2024-02-29'))).toBe('2024-02-29');
  });

  it('fromIsoDate throws on an impossible date', () => {
    expect(() => fromIsoDate('2026-02-30')).toThrow(RangeError);
    expect(() => fromIsoDate('2026-1-5')).toThrow(RangeError);
  });

  it('toShanghaiIso formats in +08:00 and round-trips', () => {
    expect(toShanghaiIso(Date.parse('2026-10-10T16:00:00Z'))).toBe('2026-10-11T00:00:00+08:00');
    expect(toShanghaiIso(Date.parse('2026-10-10T15:59:59.999Z'))).toBe('2026-10-10T23:59:59.999+08:00');
    expect(toShanghaiIso(0)).toBe('1970-01-01T08:00:00+08:00');
    for (let ms = -5e12; ms < 5e12; ms += 123_456_789_011) {
      expect(parseDateOrInstant(toShanghaiIso(ms))).toBe(ms);
    }
  });

  it('parseDateOrInstant accepts dates and offset instants', () => {
    const expected = Date.parse('2026-10-10T16:00:00Z');
    expect(parseDateOrInstant('2026-10-11')).toBe(expected);
    expect(parseDateOrInstant('2026-10-11T00:00:00+08:00')).toBe(expected);
    expect(parseDateOrInstant('2026-10-10T16:00:00Z')).toBe(expected);
    expect(parseDateOrInstant('2026-10-10T16:00Z')).toBe(expected);
    expect(parseDateOrInstant('2026-10-10T11:00:00-05:00')).toBe(expected);
    expect(parseDateOrInstant('2026-10-10T16:00:00.5Z')).toBe(expected + 500);
    expect(parseDateOrInstant('2026-10-10T16:00:00.123456Z')).toBe(expected + 123);
    expect(parseDateOrInstant('2024-02-29')).toBe(Date.parse('2024-02-28T16:00:00Z'));
  });

  it.each([
    '2026-02-30',
    '2025-02-29',
    '2026-13-01',
    '2026-00-10',
    '2026-1-5',
    '2026-10-11T24:00:00Z',
    '2026-10-11T10:60:00Z',
    '2026-10-11T10:00:60Z',
    '2026-10-11T10:00:00', // no offset: ambiguous
    '2026-10-11 10:00:00Z',
    '2026-10-11T10:00:00+8:00',
    '2026-10-11T10:00:00+0800',
    '2026-10-11T10:00:00+24:00',
    '2026-02-30T00:00:00Z',
    ' 2026-10-11',
    '2026-10-11\n',
    '',
    'garbage',
    'tomorrow',
    '1760140800000',
  ])('parseDateOrInstant rejects %j', (s) => {
    expect(parseDateOrInstant(s)).toBeNull();
  });
});

describe('shipped calendar data', () => {
  it('every year is well-formed', () => {
    for (const [year, data] of Object.entries(OFFICIAL_CALENDAR_YEARS))
      expect(validateCalendarYear(year, data)).toEqual([]);
    expect(Object.keys(OFFICIAL_CALENDAR_YEARS)).toEqual(['2024', '2025', '2026']);
  });

  it('has the number of days off the notices list', () => {
    const counts = Object.fromEntries(
      Object.entries(OFFICIAL_CALENDAR_YEARS).map(([y, d]) => [y, [d.holidays.length, d.workdays.length]]),
    );
    expect(counts).toEqual({ '2024': [28, 8], '2025': [28, 5], '2026': [33, 6] });
  });

  it('validateCalendarYear reports bad data', () => {
    const problems = validateCalendarYear('2026', {
      holidays: ['2026-02-30', '2025-10-01', '2026-10-10'],
      workdays: ['2026-10-12', '2026-10-10'],
    });
    expect(problems).toEqual([
      'holidays: invalid date "2026-02-30"',
      'holidays: 2025-10-01 is not in 2026',
      'workdays: 2026-10-12 is not a Saturday or Sunday',
      '2026-10-10 is both a holiday and a workday',
    ]);
  });

  it('is frozen', () => {
    expect(Object.isFrozen(OFFICIAL_CALENDAR_YEARS)).toBe(true);
    expect(Object.isFrozen(OFFICIAL_CALENDAR_YEARS['2026']?.holidays)).toBe(true);
  });

  it('has a stable content version', () => {
    expect(SHIPPED_CALENDAR.version).toBe(calendarVersion(OFFICIAL_CALENDAR_YEARS));
    expect(SHIPPED_CALENDAR.version).toMatch(/^cal-2024-2026-[0-9a-f]{8}$/);
    // Pinned on purpose: any change to the shipped data must show up as a new recorded version.
    expect(SHIPPED_CALENDAR.version).toBe('cal-2024-2026-d74857e6');
  });

  it('version ignores order and duplicates but not content', () => {
    const a = { '2026': { holidays: ['2026-10-01', '2026-10-02'], workdays: ['2026-10-10'] } };
    const b = { '2026': { holidays: ['2026-10-02', '2026-10-01', '2026-10-01'], workdays: ['2026-10-10'] } };
    const c = { '2026': { holidays: ['2026-10-01', '2026-10-03'], workdays: ['2026-10-10'] } };
    expect(calendarVersion(a)).toBe(calendarVersion(b));
    expect(calendarVersion(a)).not.toBe(calendarVersion(c));
    expect(calendarVersion({})).toMatch(/^cal-empty-[0-9a-f]{8}$/);
  });
});

// ---------------------------------------------------------------------------------------------
// Independent oracle on chinese-days. That package parses 'YYYY-MM-DD' as UTC midnight but reads
// dates back with local-time getters, also when it builds its own tables at load time, so west of
// UTC its tables shift one day early (in America/Los_Angeles it calls 2026-09-30 National Day and
// 2026-10-10 a rest day). Changing process.env.TZ at run time does not help inside a vitest worker
// thread, so the oracle runs once in a child Node process pinned to Asia/Shanghai and queried with
// local-noon Dates; the answers come back as JSON. (domain/calendar.ts never reads the process TZ.)
interface OracleAnswers {
  isWorkday: boolean[];
  findWorkday: string[];
  workdaysInRange: number[];
  years: Record<string, { holidays: string[]; workdays: string[] }>;
}
const ORACLE_SCRIPT = `
const cd = require('chinese-days');
const q = JSON.parse(require('fs').readFileSync(0, 'utf8'));
const noon = (s) => { const [y, m, d] = s.split('-').map(Number); return new Date(y, m - 1, d, 12); };
const yearList = (y, f) => f(noon(y + '-01-01'), noon(y + '-12-31'));
process.stdout.write(JSON.stringify({
  isWorkday: q.days.map((s) => cd.isWorkday(noon(s))),
  findWorkday: q.cases.map(([s, n]) => cd.findWorkday(n, noon(s))),
  workdaysInRange: q.ranges.map(([a, b]) => cd.getWorkdaysInRange(noon(a), noon(b)).length),
  years: Object.fromEntries(q.years.map((y) => [y, {
    holidays: yearList(y, (a, b) => cd.getHolidaysInRange(a, b, false)),
    workdays: yearList(y, (a, b) => cd.getWorkdaysInRange(a, b, true)).filter((s) => [0, 6].includes(noon(s).getDay())),
  }])),
}));
`;
const askOracle = (query: object): OracleAnswers =>
  JSON.parse(
    execFileSync(process.execPath, ['-e', ORACLE_SCRIPT], {
      cwd: process.cwd(),
      env: { ...process.env, TZ: 'Asia/Shanghai' },
      input: JSON.stringify(query),
      encoding: 'utf8',
    }),
  ) as OracleAnswers;

// The oracle's day table covers the test years with margin for limits of up to 20 working days.
const ORACLE_FROM = day('2023-07-01');
const ORACLE_TO = day('2027-06-30');

// Deterministic spread: 60 start days stepping 19 days (covering all three years), limits 1–20,
// every fourth case counted backwards.
const cases = Array.from({ length: 60 }, (_, i) => {
  const start = FIRST + ((i * 19 + 3) % (LAST - FIRST - 40)) + 20;
  const n = (1 + ((i * 7) % 20)) * (i % 4 === 3 ? -1 : 1);
  return { i, start: iso(start), n };
});

describe('oracle: chinese-days', () => {
  let oracle: OracleAnswers;
  /** Stepping over the oracle's isWorkday table: an implementation independent of domain/calendar.ts. */
  const oracleIsWorkday = (d: number): boolean => {
    const v = oracle.isWorkday[d - ORACLE_FROM];
    if (v === undefined) throw new Error(`oracle table does not cover ${iso(d)}`);
    return v;
  };
  const oracleAddLoop = (d: number, n: number): number => {
    let cur = d;
    for (let left = Math.abs(n); left > 0;) {
      cur += Math.sign(n);
      if (oracleIsWorkday(cur)) left--;
    }
    return cur;
  };

  beforeAll(() => {
    const days: string[] = [];
    for (let d = ORACLE_FROM; d <= ORACLE_TO; d++) days.push(iso(d));
    oracle = askOracle({
      days,
      // chinese-days' findWorkday(n, date): n = 0 means "today or the next working day", so only n ≠ 0 is asked
      cases: cases.map((c) => [c.start, c.n]),
      // (start, our Nth working day after start] must hold exactly |n| working days by chinese-days' own count
      ranges: cases.map((c) => [iso(day(c.start) + 1), iso(addWorkingDays(cal, day(c.start), Math.abs(c.n)))]),
      years: ['2024', '2025', '2026'],
    });
  });

  it('isWorkingDay agrees on every day of 2024–2026', () => {
    const mismatches: string[] = [];
    for (let d = FIRST; d <= LAST; d++) {
      if (isWorkingDay(cal, d) !== oracleIsWorkday(d)) mismatches.push(iso(d));
    }
    expect(LAST - FIRST + 1).toBe(366 + 365 + 365);
    expect(mismatches).toEqual([]);
  });

  it.each(['2024', '2025', '2026'])('%s holiday and make-up lists are the same dates', (y) => {
    const ours = OFFICIAL_CALENDAR_YEARS[y] as CalendarYearData;
    expect([...ours.holidays].sort()).toEqual(oracle.years[y]?.holidays);
    expect([...ours.workdays].sort()).toEqual(oracle.years[y]?.workdays);
  });

  it.each(cases)('addWorkingDays($start, $n)', ({ i, start, n }) => {
    const d = day(start);
    const ours = addWorkingDays(cal, d, n);
    expect(iso(ours)).toBe(iso(oracleAddLoop(d, n)));
    expect(iso(ours)).toBe(oracle.findWorkday[i]);
    expect(oracle.workdaysInRange[i]).toBe(Math.abs(n));
  });
});
