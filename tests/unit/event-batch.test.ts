import { describe, expect, it } from 'vitest';
import { packEvents, unpackEvents, updateIdsOf } from '../../domain/event-batch';
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

  it("splits runs where the Update that decided them changes, and names each event's Update in order", () => {
    // Two Updates of one clerk at one instant (a batch taken in one workflow task), then a timer's events.
    const batch = [
      event(4, 1000, clerk, 'FIRE'),
      event(5, 1000, clerk, 'ENV'),
      event(6, 1000, clerk, 'PLAN'),
      event(7, 2000, SYSTEM_ACTOR, 'FIRE'),
    ];
    const updateOf = new Map([
      [4, 'receipt-a'],
      [5, 'receipt-a'],
      [6, 'receipt-b'],
    ]);
    const packed = packEvents('JA1', batch, (seq) => updateOf.get(seq));
    expect(packed.runs.map((r) => [r.seq, r.bodies.length, r.updateId])).toEqual([
      [4, 2, 'receipt-a'],
      [6, 1, 'receipt-b'],
      [7, 1, undefined],
    ]);
    // A run without an Update carries no updateId key at all (nothing added to the history).
    expect(Object.keys(packed.runs[2]!)).not.toContain('updateId');
    const events = unpackEvents(packed);
    expect(events).toEqual(batch);
    const ids = updateIdsOf(packed);
    expect(ids).toEqual(['receipt-a', 'receipt-a', 'receipt-b', null]);
    expect(ids.map((id, i) => [events[i]!.seq, id])).toEqual([
      [4, 'receipt-a'],
      [5, 'receipt-a'],
      [6, 'receipt-b'],
      [7, null],
    ]);
    // As the local activity receives it: through JSON.
    const received = JSON.parse(JSON.stringify(packed));
    expect(unpackEvents(received)).toEqual(batch);
    expect(updateIdsOf(received)).toEqual(ids);
  });

  it('packs a batch without Updates as before: the same runs, no ids, every event back', () => {
    const batch = [event(1, 1000, clerk, 'FIRE'), event(2, 1000, clerk, 'ENV'), event(3, 3000, clerk, 'PLAN')];
    const packed = packEvents('JA1', batch);
    expect(packed).toEqual({
      caseNo: 'JA1',
      runs: [
        { seq: 1, at: 1000, actor: clerk, bodies: [batch[0]!, batch[1]!].map(({ type, data }) => ({ type, data })) },
        { seq: 3, at: 3000, actor: clerk, bodies: [{ type: batch[2]!.type, data: batch[2]!.data }] },
      ],
    });
    expect(unpackEvents(JSON.parse(JSON.stringify(packed)))).toEqual(batch);
    expect(updateIdsOf(packed)).toEqual([null, null, null]);
  });

  it('refuses an event of another case', () => {
    expect(() => packEvents('JA2', [event(1, 1000, clerk, 'FIRE')])).toThrow(/JA1/);
  });
});
