/**
 * Efficiency assessment (效能考核). The default is seed 004's monthly rule: the time-limit part is
 * worth 10 points, minus 1 point per late working day per case, never below 0.
 */
export interface ScoringRule {
  base: number;
  perLateWorkingDay: number;
  perDeemed: number;
  floor: number;
}

export const DEFAULT_SCORING: ScoringRule = { base: 10, perLateWorkingDay: 1, perDeemed: 0, floor: 0 };

export function score(rule: ScoringRule, figures: { lateWorkingDays: number; deemed: number }): number {
  return Math.max(
    rule.floor,
    rule.base - rule.perLateWorkingDay * figures.lateWorkingDays - rule.perDeemed * figures.deemed,
  );
}

/** Nearest-rank percentile of whole working days; null when there is nothing to rank. */
export function percentile(values: number[], p: number): number | null {
  if (!values.length) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}
