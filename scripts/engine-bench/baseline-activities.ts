import type { Db } from '../../db';

/** One event as the case event store holds it (the baseline inserts the very rows a system case wrote). */
export interface BaselineEventRow {
  case_no: string;
  seq: number;
  type: string;
  data: string;
  actor_sub: string;
  actor_role: string;
  actor_dept: string | null;
  occurred_at: string;
}

/** The table the baseline appends to: case_events' shape, without the system's projections. */
export const BASELINE_TABLE_DDL = `create table if not exists baseline_events (
  case_no text not null, seq integer not null, type text not null, data jsonb not null,
  actor_sub text not null, actor_role text not null, actor_dept text,
  occurred_at timestamptz not null, recorded_at timestamptz not null default now(),
  primary key (case_no, seq))`;

export function createBaselineActivities(db: Db) {
  return {
    /** One transaction, one multi-row insert, idempotent on (case_no, seq) like the system's append. */
    async insertBaselineEvents(events: BaselineEventRow[]): Promise<void> {
      await db.transaction().execute(async (trx) => {
        await trx
          .withTables<{ baseline_events: BaselineEventRow }>()
          .insertInto('baseline_events')
          .values(events)
          .onConflict((oc) => oc.columns(['case_no', 'seq']).doNothing())
          .execute();
      });
    },
  };
}

export type BaselineActivities = ReturnType<typeof createBaselineActivities>;
