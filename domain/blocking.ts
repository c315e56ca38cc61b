import type { CaseStatus } from './types';

/**
 * Who holds a case up: the lead department while a decision is due, otherwise the reviewers whose
 * opinion is still pending. A suspended case waits on nobody for urging and escalations (its clock
 * has stopped), while the supervision lists still show whose opinions it waits for: `whileSuspended`
 * says which of the two is asked.
 */
export function blockingDepts<T>(
  c: { status: CaseStatus; lead: T; pending: readonly T[] },
  opts: { whileSuspended: boolean },
): T[] {
  if (c.status === 'deciding') return [c.lead];
  if (c.status === 'in_review' || (opts.whileSuspended && c.status === 'suspended')) return [...c.pending];
  return [];
}
