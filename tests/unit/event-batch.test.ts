import { describe, expect, it } from 'vitest';
import { packEvents, unpackEvents } from '../../domain/event-batch';
import type { CaseEvent } from '../../domain/events';
import { SYSTEM_ACTOR, type Actor } from '../../domain/types';

const clerk: Actor = { sub: 'u-7', role: 'department', dept: 'FIRE', name: '李四' };
const event = (seq: number, at: number, actor: Actor, dept: string): CaseEvent =>
  ({ type: 'department_overdue', data: { dept, round: 1, dueAt: at }, caseNo: 'JA1', seq, at, actor }) as CaseEvent;

describe('event batches handed to the event store', () => {
  it('carry each run of one command’s envelope once, and give back the same events', () => {
    const batch = [
      event(4, 1000, clerk, 'FIRE'),
      event(5, 1000, { ...clerk }, 'ENV'),
      event(6, 2000, SYSTEM_ACTOR, 'FIRE'),
      event(7, 2000, SYSTEM_ACTOR, 'ENV'),
    ];
    const packed = packEvents('JA1', batch);
    expect(packed.runs.map((r) => [r.seq, r.bodies.length])).toEqual([
      [4, 2],
      [6, 2],
    ]);
    expect(JSON.stringify(packed).length).toBeLessThan(JSON.stringify(batch).length);
    expect(unpackEvents(packed)).toEqual(batch);
  });

  it('takes the plain arrays that workflows scheduled before packing', () => {
    const batch = [event(1, 1000, clerk, 'FIRE')];
    expect(unpackEvents(batch)).toEqual(batch);
    expect(unpackEvents(JSON.parse(JSON.stringify(packEvents('JA1', []))))).toEqual([]);
  });

  it('refuses an event of another case', () => {
    expect(() => packEvents('JA2', [event(1, 1000, clerk, 'FIRE')])).toThrow(/JA1/);
  });
});
