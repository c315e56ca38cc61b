import { describe, expect, it } from 'vitest';
import { nextTimer } from '../../domain/timers';
import { CURRENT_RULES } from '../../domain/types';
import type { SubmitCommand } from '../../workflows/definitions';
import {
  ALL_MATERIALS,
  CAL,
  SYSTEM,
  TICK,
  WINDOW,
  acceptedCase,
  all,
  dayStart,
  given,
  matter,
  sh,
  stateOf,
  submitCmd,
  after,
  types,
  when,
} from './support/given';

// Accepted day 0 (demo), department limit 5 working days: its deadline is 24:00 of day 5 = dayStart(6).

describe('the department yellow warning (correction: at the start of the last working day)', () => {
  describe('a case started under the current rules', () => {
    const s = given(acceptedCase(undefined, { rules: CURRENT_RULES }));

    it('is not warned at the start of the working day before the last', () => {
      expect(when(s, TICK, SYSTEM, dayStart(4)).events).toEqual([]);
      expect(when(s, TICK, SYSTEM, dayStart(5) - 1).events).toEqual([]);
    });

    it('is warned at 00:00 of its deadline’s last working day', () => {
      expect(nextTimer(s, { kind: 'demo', epochMs: 0, dayMs: 86_400_000 })).toMatchObject({
        at: dayStart(5),
        kind: 'dept_warn',
      });
      const outcome = when(s, TICK, SYSTEM, dayStart(5));
      expect(all(outcome, 'department_warned').map((w) => w.dept)).toEqual(['PLAN', 'FIRE', 'ENV']);
      expect(stateOf(outcome).departments.every((t) => t.alert === 'yellow')).toBe(true);
    });

    it('on the real calendar: the last working day after a weekend is Monday, warned at its 00:00', () => {
      // accepted Tue 2026-03-03, 4 working days → ends with Mon 03-09: warned 00:00 Mon 03-09, not Fri 03-06
      const c = after(
        undefined,
        { ...(submitCmd(ALL_MATERIALS, matter({ deptReviewDays: 4 })) as SubmitCommand), rules: CURRENT_RULES },
        WINDOW,
        sh('2026-03-03T10:00'),
        CAL,
      );
      expect(c.rules).toEqual(CURRENT_RULES);
      expect(when(c, TICK, SYSTEM, sh('2026-03-06'), CAL).events).toEqual([]);
      expect(when(c, TICK, SYSTEM, sh('2026-03-09') - 1, CAL).events).toEqual([]);
      expect(types(when(c, TICK, SYSTEM, sh('2026-03-09'), CAL))).toEqual([
        'department_warned',
        'department_warned',
        'department_warned',
      ]);
    });
  });

  describe('a case started before the correction (no rules recorded) keeps its earlier warning', () => {
    const s = given(acceptedCase());

    it('is warned at the start of the working day before the last, as it was', () => {
      expect(s.rules).toBeUndefined();
      expect(all(when(s, TICK, SYSTEM, dayStart(4)), 'department_warned')).toHaveLength(3);
    });
  });
});
