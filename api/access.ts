import { refusal } from '../domain/errors';
import { reviewingDepts } from '../domain/matter';
import type { Actor, CaseState } from '../domain/types';

/** A department sees only the cases it reviews (the lead or a co-handling department). */
export function assertMayReadCase(actor: Actor, state: CaseState): void {
  if (actor.role === 'department' && (!actor.dept || !reviewingDepts(state.matter).includes(actor.dept)))
    throw refusal('not_reviewing_department', 'your department does not review this case');
}

/**
 * Whose tasks and inbox a caller reads: a department its own (asking for another's is refused),
 * a supervisor any department's (or `supervisorDefault` when none is named).
 */
export function inboxDept(actor: Actor, asked: string | undefined, supervisorDefault?: string): string | undefined {
  if (actor.role !== 'department') return asked ?? supervisorDefault;
  if (asked !== undefined && asked !== actor.dept)
    throw refusal('not_own_department', 'a department reads only its own tasks and inbox');
  return actor.dept;
}
