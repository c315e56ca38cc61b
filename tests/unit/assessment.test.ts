import { describe, expect, it } from 'vitest';
import { DEFAULT_SCORING, NO_RATINGS, ratingFigures, score } from '../../domain/assessment';
import { ConfigError, loadConfig } from '../../config';

describe('效能考核: the assessment score', () => {
  it('by default ratings do not move the score: seed 004 rule only', () => {
    const time = { lateWorkingDays: 3, deemed: 2 };
    expect(score(DEFAULT_SCORING, time)).toBe(7);
    expect(score(DEFAULT_SCORING, { ...time, badReviews: 4, remediatedOnTime: 1 })).toBe(7);
  });

  it('configured, each bad review and each bad review not remediated on time costs its weight, never below the floor', () => {
    const rule = { ...DEFAULT_SCORING, perBadReview: 0.5, perLateRemediation: 1 };
    // 10 − 1 late day − 2 bad × 0.5 − (2 − 1 remediated on time) × 1
    expect(score(rule, { lateWorkingDays: 1, deemed: 0, badReviews: 2, remediatedOnTime: 1 })).toBe(7);
    expect(score(rule, { lateWorkingDays: 9, deemed: 0, badReviews: 5, remediatedOnTime: 0 })).toBe(0);
  });

  it('the weights come from ASSESSMENT_* and default to today’s rule; a negative weight is refused at boot', () => {
    expect(loadConfig({ JWT_SECRET: 'x'.repeat(32) }).scoring).toEqual(DEFAULT_SCORING);
    expect(
      loadConfig({ JWT_SECRET: 'x'.repeat(32), ASSESSMENT_PER_BAD_REVIEW: '2', ASSESSMENT_PER_LATE_REMEDIATION: '0.5' })
        .scoring,
    ).toEqual({ ...DEFAULT_SCORING, perBadReview: 2, perLateRemediation: 0.5 });
    expect(() => loadConfig({ JWT_SECRET: 'x'.repeat(32), ASSESSMENT_PER_BAD_REVIEW: '-1' })).toThrow(ConfigError);
  });
});

describe('好差评 figures', () => {
  it('satisfaction rate is ratings of 5 and 4 among all; none rated → null', () => {
    expect(ratingFigures({ ratings: 4, satisfied: 3, badReviews: 1, remediatedOnTime: 1 })).toEqual({
      ratings: 4,
      satisfactionRate: 0.75,
      badReviews: 1,
      remediatedOnTime: 1,
    });
    expect(ratingFigures(NO_RATINGS).satisfactionRate).toBeNull();
  });
});
