import type { CaseStatus } from './types';

/**
 * The sets of case statuses the rules and the read side speak of, each written once here.
 * (The migrations that index them, and SQL filters, take their lists from these constants.)
 */

/** Closed: nothing more happens to the case. */
export const TERMINAL_STATUSES: readonly CaseStatus[] = [
  'completed',
  'rejected',
  'refused',
  'withdrawn',
  'terminated',
  // 告知承诺制: the approval revoked on a false commitment
  'revoked',
];
/** Closed without a decision: refusing, withdrawing or terminating ends a case too. */
export const CLOSED_UNDECIDED: readonly CaseStatus[] = ['refused', 'withdrawn', 'terminated'];
/** Not yet decided: urges, extensions and withdrawal are still possible. */
export const BEFORE_DECISION: readonly CaseStatus[] = ['awaiting_materials', 'in_review', 'suspended', 'deciding'];
/** Supervised as open: accepted and waiting on a department, the lead or the negative-filing review. */
export const OPEN_STATUSES: readonly CaseStatus[] = ['in_review', 'suspended', 'deciding', 'negative_review'];
/** The departments' review is under way, opinions may still come: their pending tasks are open. */
export const UNDER_REVIEW: readonly CaseStatus[] = ['in_review', 'suspended'];
/** Review under way or just settled, the lead still to decide. */
export const REVIEW_OR_DECIDING: readonly CaseStatus[] = [...UNDER_REVIEW, 'deciding'];
