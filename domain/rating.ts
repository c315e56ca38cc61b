import { deadlineAfter } from './calendar';
import type { CaseCommand } from './commands';
import type { Draft } from './draft';
import { refusal } from './errors';
import { TERMINAL_STATUSES } from './status';
import type { CaseState } from './types';

/**
 * 好差评 (国办发〔2019〕51号, GB/T 39734-2020): once a case has ended the applicant rates it once,
 * 5 非常满意 … 1 非常不满意; a 2 or 1 (差评) opens a remediation task (整改) for the responsible
 * department — the lead, unless a supervisor reassigns it — due in REMEDIATION_DAYS working days,
 * with a follow-up to the applicant (回访); a late one is escalated.
 */
export const BAD_REVIEW_AT_MOST = 2;

export function rate(d: Draft, c: Extract<CaseCommand, { type: 'rate' }>): void {
  const s = d.current;
  if (d.ctx.actor.role !== 'applicant') throw refusal('forbidden_role', 'only the applicant rates a case');
  if (!TERMINAL_STATUSES.includes(s.status)) throw refusal('case_not_ended', `the case is ${s.status}, not ended`);
  if (s.rating) throw refusal('already_rated', 'the case has already been rated');
  const levels = [c.level, ...Object.values(c.dimensions ?? {})];
  if (levels.some((l) => !Number.isInteger(l) || l < 1 || l > 5))
    throw refusal('invalid_rating', 'ratings are whole numbers from 1 to 5');
  d.emit({
    type: 'rated',
    data: { level: c.level, dimensions: c.dimensions ?? {}, ...(c.comment ? { comment: c.comment } : {}) },
  });
  if (c.level > BAD_REVIEW_AT_MOST) return;
  d.emit({
    type: 'remediation_opened',
    data: { dept: s.matter.leadDept, level: c.level, dueAt: deadlineAfter(d.ctx.time, d.ctx.now, c.remediationDays) },
  });
}

export function reassignRemediation(d: Draft, c: Extract<CaseCommand, { type: 'reassign_remediation' }>): void {
  if (d.ctx.actor.role !== 'supervisor') throw refusal('forbidden_role', 'only a supervisor reassigns a remediation');
  const r = d.current.remediation;
  if (!r || r.doneAt !== undefined) throw refusal('no_open_remediation', 'no remediation is open on this case');
  d.emit({ type: 'remediation_reassigned', data: { from: r.dept, dept: c.dept } });
}

export function recordRemediation(d: Draft, c: Extract<CaseCommand, { type: 'record_remediation' }>): void {
  const r = d.current.remediation;
  const { role, dept } = d.ctx.actor;
  if (r && (role !== 'department' || dept !== r.dept))
    throw refusal('not_responsible_department', `the remediation is ${r.dept}'s`);
  if (!r || r.doneAt !== undefined) throw refusal('no_open_remediation', 'no remediation is open on this case');
  if (!c.action.trim()) throw refusal('action_required', 'say what was done');
  d.emit({
    type: 'remediation_recorded',
    data: {
      action: c.action,
      contactedApplicant: c.contactedApplicant,
      note: c.note ?? '',
      onTime: d.ctx.now <= r.dueAt,
    },
  });
}

export const remediationOpen = (s: CaseState) => s.remediation !== undefined && s.remediation.doneAt === undefined;
