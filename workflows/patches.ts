/**
 * Version patches of the case and republication workflows (`patched(id)`): each id marks a behaviour change that cases
 * already running, and the recorded histories in tests/replay/histories, must not see.
 */
export const PATCHES = {
  /** New cases run under CURRENT_RULES (the department's yellow warning on its deadline's last working day). */
  currentRules: 'i12-current-rules',
  /**
   * Acts judged as of their receipt: commands carry `receivedAt`, timer-driven events `effectiveAt`,
   * an opinion received in time replaces a deemed one (domain.md, "Acts, receipts and outages").
   */
  receiptTimes: 'i8-receipt-times',
  /**
   * Less engine work per command (one patch, since each costs a marker and an upsert of its own):
   * the durable timer of the next deadline stays armed across commands while that deadline stays the
   * same instant (before, every command cancelled it and started another: two history events each),
   * and search attributes are upserted only when one changed, and then only the changed ones.
   */
  leanCommands: 'i14-lean-commands',
  /**
   * Events the store refuses for good (activity failure events_unrecordable) are rolled back and the
   * waiting command refused, instead of failing the workflow. Taken only when such a failure happens.
   */
  unrecordableRollback: 'i15-events-unrecordable-rollback',
  /**
   * A republished calendar is read by a local activity in the same workflow task as the signal
   * (before: a scheduled activity and a workflow task more per case, what made republishing to
   * thousands of cases slow).
   */
  calendarLocal: 'j12-calendar-local-activity',
  /**
   * Deadlines decided ahead (issue 14): a while before its next timer falls due the case decides
   * what it will do, holds those events in PostgreSQL for the worker's sweeper to record at the
   * deadline (thousands ending at one 24:00 written in bulk), and settles them after (domain/timers.ts
   * holdWindow). An act arriving first withdraws them; the case decides the act, then its timers.
   */
  heldTicks: 'k14-held-ticks',
  /**
   * Of the republication workflow: a page of cases is signalled by one activity (the worker's
   * client, many at a time) instead of a SignalExternalWorkflow command and two history events per
   * case; republications started before keep signalling as they began.
   */
  republicationSignalByActivity: 'j12-republication-signal-by-activity',
  /**
   * The closing step records the events of an Update accepted while the case closes (its handler
   * waits for them, so the closing wait wakes when they come, also while webhooks are still being
   * retried). Before, such an Update hung the case (the handler and the closing wait each waited on
   * the other) or, arriving while webhooks were retried, was lost when the workflow returned.
   * Taken only when such an Update comes (a case closing without one pays no marker).
   */
  closingRecordsLateActs: 'k15-closing-records-late-acts',
  /**
   * Event batches appended by a local activity in the workflow task that decided them (issue 14):
   * one workflow task per command instead of two and an activity task. The append names the last
   * seq the case knows recorded; events a lost task recorded after it are adopted, with the Updates
   * that decided them (case_events.update_id), not decided anew. Only in patch set 3 (never a marker:
   * cases started before keep the scheduled recordEvents).
   */
  localAppend: 'l14-local-append',
} as const;

/**
 * Sets of the case workflow's patches a case takes from its start without asking (input.patchSet,
 * set by the API): each patched() call that takes a new path records a marker and, from the SDK's
 * core, an upsert of the TemporalChangeVersion search attribute — two history events and a
 * visibility write per patch per case (six per simple case with the three its path asks about).
 * A case started with a set knows from its input (a fact of its history) that it was started by
 * code with every patch in it, so it takes those paths with no marker; patches added later, and
 * cases started without a set (every history recorded before), ask patched() as before.
 * Append-only: a set, once cases start with it, never changes (a new patch goes into a new set).
 */
const SET_1 = [
  PATCHES.currentRules,
  PATCHES.receiptTimes,
  PATCHES.leanCommands,
  PATCHES.unrecordableRollback,
  PATCHES.calendarLocal,
  PATCHES.closingRecordsLateActs,
];
/** Each set is the one before and the patches added since (sets never change once cases start with them). */
const SET_2 = [...SET_1, PATCHES.heldTicks];
const SET_3 = [...SET_2, PATCHES.localAppend];
export const PATCH_SETS: Readonly<Record<number, readonly string[]>> = { 1: SET_1, 2: SET_2, 3: SET_3 };

/** The set new cases start with (k8: patches as markers only where a case began before them). */
export const CURRENT_PATCH_SET = 3;

/**
 * The build id of this project's worker builds (worker/create-worker.ts): 'ja<N>-<code hash>', N
 * the newest patch set the build knows (it knows every set up to N). A case honours
 * input.patchSet (and input.searchAttributesAtStart, from set 1 on) only if the first workflow task
 * of its run ran on a build that knows that set — workflowInfo().currentBuildId, which on replay is
 * the build recorded in the history. So a case an older worker began while a newer API started it
 * (a rolling deploy) took its markers and upserts as that worker did, and replays as it ran.
 */
export function workerBuildId(codeHash: string): string {
  return `ja${CURRENT_PATCH_SET}-${codeHash}`;
}

/** The newest patch set the build that ran this task knew (0: not one of ours, or from before sets). */
export function patchSetKnownTo(buildId: string | undefined): number {
  const m = /^ja(\d+)-/.exec(buildId ?? '');
  return m ? Number(m[1]) : 0;
}
