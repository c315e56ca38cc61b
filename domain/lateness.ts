import { dayOf, deadlineDay, workingDaysBetween, type TimeModel } from './calendar';
import type { CaseState, DeptTask } from './types';

/**
 * How late a case and its departments are, in working days: the figures the completed event, the
 * case view and the department statistics report.
 */

/** Lateness counts to the decision: payment time is the applicant's, not the departments'. */
export function latenessAtDecision(
  s: CaseState,
  time: TimeModel,
): { late: number; statutoryLate: number; used: number } {
  const decisionDay = dayOf(time, s.decidedAt ?? s.lastProgressAt);
  const lateAgainst = (deadline: number | undefined) =>
    deadline === undefined ? 0 : workingDaysBetween(time, deadlineDay(time, deadline), decisionDay);
  return {
    late: lateAgainst(s.deadline),
    statutoryLate: lateAgainst(s.statutoryDeadline),
    used: usedWorkingDays(s, time, decisionDay),
  };
}

export function usedWorkingDays(s: CaseState, time: TimeModel, untilDay: number): number {
  if (s.acceptedAt === undefined) return 0;
  const suspended = s.suspensions.reduce((sum, x) => sum + (x.workingDays ?? 0), 0);
  const ongoing = s.suspension ? workingDaysBetween(time, dayOf(time, s.suspension.from), untilDay) : 0;
  return Math.max(0, workingDaysBetween(time, dayOf(time, s.acceptedAt), untilDay) - suspended - ongoing);
}

/** A task's figures for the assessment: working days to its opinion and how late it came. */
export function taskFigures(t: DeptTask, time: TimeModel): { late: number; toOpinion: number | null } {
  // A deemed consent is counted as such (deemed), not as an opinion given late.
  if (t.givenAt === undefined || t.status === 'deemed') return { late: 0, toOpinion: null };
  const givenDay = dayOf(time, t.givenAt);
  return {
    late: t.givenAt > t.dueAt ? workingDaysBetween(time, deadlineDay(time, t.dueAt), givenDay) : 0,
    toOpinion: workingDaysBetween(time, dayOf(time, t.assignedAt), givenDay),
  };
}
