import { describe, expect, it } from 'vitest';
import { parseTopic, topicSubject, topicsOfChange } from '../../domain/topics';
import { CASE_NO, SUPERVISOR, acceptedCase, day, decideCmd, decidingCase, given, stateOf, when } from './support/given';

describe('live-update topics', () => {
  it('an urge touches the case page, the inbox of every department reviewing it, and the dashboard', () => {
    const outcome = when(given(acceptedCase()), { type: 'urge', message: '请加快' }, SUPERVISOR, day(3));
    expect(topicsOfChange(stateOf(outcome), outcome.envelopes)).toEqual([
      `case:${CASE_NO}`,
      'inbox:ENV',
      'inbox:FIRE',
      'inbox:PLAN',
      'supervision',
    ]);
  });

  it('a rejection reaches the supervisors’ inbox, where the 否定报备 notice goes', () => {
    const outcome = when(
      given(decidingCase()),
      decideCmd('reject', { reason: '不符合规划条件', legalBasis: '城乡规划法' }),
      { sub: 'u', role: 'department', dept: 'PLAN' },
      day(4),
    );
    expect(topicsOfChange(stateOf(outcome), outcome.envelopes)).toContain('inbox:_supervisors');
  });

  it('parses only the three kinds of topic', () => {
    expect(parseTopic('case:JA2026-000001')).toBe('case:JA2026-000001');
    expect(parseTopic('inbox:_supervisors')).toBe('inbox:_supervisors');
    expect(parseTopic('supervision')).toBe('supervision');
    for (const bad of [
      '',
      'case:',
      'inbox:',
      'case:a/b',
      'inbox:A B',
      'supervision:x',
      'all',
      `inbox:${'x'.repeat(65)}`,
    ])
      expect(parseTopic(bad)).toBeUndefined();
    expect(topicSubject('case:JA1')).toEqual({ kind: 'case', caseNo: 'JA1' });
    expect(topicSubject('inbox:FIRE')).toEqual({ kind: 'inbox', dept: 'FIRE' });
    expect(topicSubject('supervision')).toEqual({ kind: 'supervision' });
  });
});
