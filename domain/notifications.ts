import type { CaseEvent } from './events';
import type { CaseState } from './types';

/** Supervisors read their notices from this pseudo-department's inbox. */
export const SUPERVISORS = '_supervisors';
/** Notices to the applicant (by the window's letter or SMS), and records for the credit system. */
export const APPLICANT = '_applicant';
export const CREDIT_SYSTEM = '_credit';

export interface Notice {
  /** Stable per event and receiver: the receiver's idempotency key. */
  key: string;
  dept: string;
  caseNo: string;
  kind: string;
  payload: Record<string, unknown>;
  at: number;
}

/** Who must hear of an event: copies, warnings, escalations, urges, meetings, overrules. */
export function noticesFor(event: CaseEvent, state: CaseState): Notice[] {
  const to = (depts: string[], kind: string, payload: Record<string, unknown> = {}): Notice[] =>
    [...new Set(depts)].map((dept) => ({
      key: `${event.caseNo}:${event.seq}:${dept}`,
      dept,
      caseNo: event.caseNo,
      kind,
      payload: { caseNo: event.caseNo, matterCode: state.matter.code, event: event.type, seq: event.seq, ...payload },
      at: event.at,
    }));
  switch (event.type) {
    case 'copied_to_department':
      return to([event.data.dept], 'copy', {
        round: event.data.round,
        dueAt: new Date(event.data.dueAt).toISOString(),
      });
    case 'department_warned':
      return to([event.data.dept], 'warning', { dueAt: new Date(event.data.dueAt).toISOString() });
    case 'department_overdue':
      return to([event.data.dept], 'overdue', { dueAt: new Date(event.data.dueAt).toISOString() });
    case 'case_warned':
      return to([state.matter.leadDept], 'case_warning', { deadline: new Date(event.data.deadline).toISOString() });
    case 'escalated':
      return to([...event.data.depts, SUPERVISORS], 'escalation', {
        scope: event.data.scope,
        reason: event.data.reason,
      });
    case 'urged':
      return to(event.data.depts, 'urge', { message: event.data.message });
    case 'meeting_convened':
      return to(event.data.departments, 'meeting', {
        meetingId: event.data.meetingId,
        kind: event.data.kind,
        scheduledAt: event.data.scheduledAt,
      });
    case 'decided':
      return event.data.overruled.length
        ? to([SUPERVISORS, ...event.data.overruled], 'overrule', {
            overruled: event.data.overruled,
            overruleReason: event.data.overruleReason,
          })
        : event.data.decision === 'reject'
          ? to([SUPERVISORS], 'negative_filing', { reason: event.data.reason })
          : [];
    case 'deferral_accepted':
      return to([APPLICANT], 'deferral_notice', {
        materials: event.data.materials.map((m) => ({ ...m, dueAt: new Date(m.dueAt).toISOString() })),
        consequence: event.data.consequence,
      });
    case 'terminated':
      return event.data.code
        ? to([APPLICANT, SUPERVISORS], 'termination', { code: event.data.code, reason: event.data.reason })
        : [];
    case 'verification_assigned':
      return to([event.data.dept], 'verification', { dueAt: new Date(event.data.dueAt).toISOString() });
    case 'remediation_opened':
    case 'remediation_reassigned':
      return to([event.data.dept], 'remediation', {
        level: state.remediation?.level,
        dueAt: new Date(state.remediation?.dueAt ?? event.at).toISOString(),
      });
    case 'approval_revoked':
      return to([APPLICANT, CREDIT_SYSTEM, SUPERVISORS], 'revocation', {
        reason: event.data.reason,
        creditRecord: event.data.creditRecord,
      });
    case 'opinion_deemed':
      return to([event.data.dept, SUPERVISORS], 'deemed', { round: event.data.round });
    case 'opinion_given':
      return event.data.supersedes
        ? to([SUPERVISORS], 'deemed_replaced', {
            dept: event.data.dept,
            round: event.data.round,
            supersedes: event.data.supersedes,
          })
        : [];
    case 'late_act_refused':
      return to([SUPERVISORS, event.data.dept], 'late_act_refused', {
        dept: event.data.dept,
        round: event.data.round,
        code: event.data.code,
        reason: event.data.reason,
        receivedAt: new Date(event.data.receivedAt).toISOString(),
        dueAt: new Date(event.data.dueAt).toISOString(),
      });
    default:
      return [];
  }
}
