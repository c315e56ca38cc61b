/**
 * Efficiency assessment (效能考核). The default is seed 004's monthly rule: the time-limit part is
 * worth 10 points, minus 1 point per late working day per case, never below 0. 好差评 may weigh in
 * (ASSESSMENT_PER_BAD_REVIEW, ASSESSMENT_PER_LATE_REMEDIATION); by default it does not, so a score
 * is what it was before ratings existed.
 */
export interface ScoringRule {
  base: number;
  perLateWorkingDay: number;
  perDeemed: number;
  /** Points off per bad review (差评, a rating of 2 or 1) of the department's cases. */
  perBadReview: number;
  /** Points off per bad review whose remediation (整改) was not recorded on time. */
  perLateRemediation: number;
  floor: number;
}

export const DEFAULT_SCORING: ScoringRule = {
  base: 10,
  perLateWorkingDay: 1,
  perDeemed: 0,
  perBadReview: 0,
  perLateRemediation: 0,
  floor: 0,
};

export interface ScoredFigures {
  lateWorkingDays: number;
  deemed: number;
  badReviews?: number;
  remediatedOnTime?: number;
}

export function score(rule: ScoringRule, f: ScoredFigures): number {
  const bad = f.badReviews ?? 0;
  const lateRemediations = Math.max(0, bad - (f.remediatedOnTime ?? 0));
  return Math.max(
    rule.floor,
    rule.base -
      rule.perLateWorkingDay * f.lateWorkingDays -
      rule.perDeemed * f.deemed -
      rule.perBadReview * bad -
      rule.perLateRemediation * lateRemediations,
  );
}

/** 好差评 counts of one department or matter over a period. */
export interface RatingCounts {
  ratings: number;
  /** Ratings of 5 (非常满意) and 4 (满意). */
  satisfied: number;
  badReviews: number;
  remediatedOnTime: number;
}

export const NO_RATINGS: RatingCounts = { ratings: 0, satisfied: 0, badReviews: 0, remediatedOnTime: 0 };

/** Satisfaction rate = ratings of 5 and 4 among all (GB/T 39734-2020); null with no rating. */
export function ratingFigures(r: RatingCounts) {
  return {
    ratings: r.ratings,
    satisfactionRate: r.ratings ? r.satisfied / r.ratings : null,
    badReviews: r.badReviews,
    remediatedOnTime: r.remediatedOnTime,
  };
}

/** Nearest-rank percentile of whole working days; null when there is nothing to rank. */
export function percentile(values: number[], p: number): number | null {
  if (!values.length) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}
