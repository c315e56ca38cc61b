import type { CaseEvent } from '../../domain/events';
import type { Actor } from '../../domain/types';
import type { DbOrTrx } from '../index';
import type { CaseEventRow } from '../schema';

/** An event's row; `updateId`, the Update whose command decided it (cases appending by local activity). */
export function toEventRow(e: CaseEvent, updateId?: string | null) {
  return {
    case_no: e.caseNo,
    seq: e.seq,
    type: e.type,
    data: JSON.stringify(e.data),
    actor_sub: e.actor.sub,
    actor_role: e.actor.role,
    actor_dept: e.actor.dept ?? null,
    actor_name: e.actor.name ?? null,
    occurred_at: new Date(e.at),
    received_at: e.receivedAt === undefined ? null : new Date(e.receivedAt),
    effective_at: e.effectiveAt === undefined ? null : new Date(e.effectiveAt),
    update_id: updateId ?? null,
  };
}

export function fromEventRow(
  row: Pick<
    CaseEventRow,
    'case_no' | 'seq' | 'type' | 'data' | 'actor_sub' | 'actor_role' | 'actor_dept' | 'occurred_at'
  > &
    Partial<Pick<CaseEventRow, 'received_at' | 'effective_at' | 'actor_name'>>,
): CaseEvent {
  const actor: Actor = {
    sub: row.actor_sub,
    role: row.actor_role as Actor['role'],
    ...(row.actor_dept ? { dept: row.actor_dept } : {}),
    ...(row.actor_name ? { name: row.actor_name } : {}),
  };
  return {
    caseNo: row.case_no,
    seq: row.seq,
    type: row.type,
    data: row.data,
    actor,
    at: row.occurred_at.getTime(),
    ...(row.received_at ? { receivedAt: row.received_at.getTime() } : {}),
    ...(row.effective_at ? { effectiveAt: row.effective_at.getTime() } : {}),
  } as CaseEvent;
}

/** Appends events; a (case_no, seq) already stored is skipped, so a retried append writes nothing twice. */
export async function insertEvents(db: DbOrTrx, events: readonly CaseEvent[]): Promise<void> {
  if (!events.length) return;
  await db
    .insertInto('case_events')
    .values(events.map((e) => toEventRow(e)))
    .onConflict((oc) => oc.columns(['case_no', 'seq']).doNothing())
    .execute();
}

export async function caseEvents(db: DbOrTrx, caseNo: string, afterSeq = 0): Promise<CaseEvent[]> {
  return (await caseEventsWithUpdates(db, caseNo, afterSeq)).events;
}

/** A case's events after `afterSeq`, with the Update that decided each (null: none kept). */
export async function caseEventsWithUpdates(
  db: DbOrTrx,
  caseNo: string,
  afterSeq = 0,
): Promise<{ events: CaseEvent[]; updateIds: (string | null)[] }> {
  const rows = await db
    .selectFrom('case_events')
    .selectAll()
    .where('case_no', '=', caseNo)
    .where('seq', '>', afterSeq)
    .orderBy('seq')
    .execute();
  return { events: rows.map(fromEventRow), updateIds: rows.map((r) => r.update_id) };
}

/** Whether the store holds events an Update decided (case_events.update_id: cases appending by local activity). */
export async function recordedByUpdate(db: DbOrTrx, caseNo: string, updateId: string): Promise<boolean> {
  const row = await db
    .selectFrom('case_events')
    .select('seq')
    .where('case_no', '=', caseNo)
    .where('update_id', '=', updateId)
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}
