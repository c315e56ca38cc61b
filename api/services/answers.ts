import type { Db } from '../../db';
import { resolveTimeModel } from '../../db/repositories/calendars';
import { toShanghaiIso } from '../../domain/calendar';
import type { CaseState } from '../../domain/types';
import { toCaseView } from '../../domain/view';

/**
 * What each command route answers once its command is applied: one home, used by the routes and
 * by the receipt applier (which answers receipts the API could not answer at the time).
 */
export type CommandRoute =
  | 'submit'
  | 'materials'
  | 'refuse'
  | 'opinions'
  | 'supplements'
  | 'meetings'
  | 'minutes'
  | 'special-procedures'
  | 'special-procedure-complete'
  | 'decision'
  | 'negative-review'
  | 'payment'
  | 'urge'
  | 'extension'
  | 'withdraw'
  | 'verification'
  | 'remediation'
  | 'remediation-reassign';

export async function caseView(db: Db, state: CaseState) {
  return toCaseView(state, Date.now(), await resolveTimeModel(db, state.time));
}

/** The answer to a command on an existing case (200). */
export async function commandAnswer(db: Db, route: CommandRoute, state: CaseState): Promise<unknown> {
  switch (route) {
    case 'materials':
      return { status: submissionStatus(state), missingMaterials: state.missingMaterials };
    case 'meetings':
      return { meetingId: state.meetings[state.meetings.length - 1]!.id };
    case 'special-procedures':
      return { procedureId: state.procedures[state.procedures.length - 1]!.id };
    default:
      return caseView(db, state);
  }
}

/** The answer to a submission, without its query code (kept apart, see case-requests). */
export function submissionAnswer(s: CaseState) {
  return {
    caseNo: s.caseNo,
    status: submissionStatus(s),
    missingMaterials: s.missingMaterials,
    deadline: s.deadline === undefined ? null : toShanghaiIso(s.deadline),
  };
}

/** Answers about acceptance speak of acceptance itself; the case's progress is in its CaseView. */
export function submissionStatus(s: CaseState): string {
  return s.status === 'awaiting_materials' || s.status === 'refused' || s.status === 'withdrawn'
    ? s.status
    : 'accepted';
}
