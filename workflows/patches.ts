/**
 * Version patches of the case workflow (`patched(id)`): each id marks a behaviour change that cases
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
} as const;
