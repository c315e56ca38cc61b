/**
 * Version patches of the case workflow (`patched(id)`): each id marks a behaviour change that cases
 * already running, and the recorded histories in tests/replay/histories, must not see.
 */
export const PATCHES = {
  /** New cases run under CURRENT_RULES (the department's yellow warning on its deadline's last working day). */
  currentRules: 'i12-current-rules',
  /**
   * Events the store refuses for good (activity failure events_unrecordable) are rolled back and the
   * waiting command refused, instead of failing the workflow. Taken only when such a failure happens.
   */
  unrecordableRollback: 'i15-events-unrecordable-rollback',
} as const;
