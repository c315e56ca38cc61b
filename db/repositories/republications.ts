import { sql } from 'kysely';
import { TERMINAL_STATUSES } from '../../domain/types';
import type { DbOrTrx } from '../index';

/** Cases whose workflow still runs and counts with a calendar (not the demo clock). */
const OPEN = TERMINAL_STATUSES as readonly string[];
/** Still running: not ended, or ended with a check of its commitments still to do (告知承诺制). */
const running = sql<boolean>`(status not in (${sql.join(OPEN.map((s) => sql`${s}`))})
  or (state->'verification' is not null and state->'verification'->'outcome' is null))`;

export interface Republication {
  id: number;
  year: number;
  version: string;
  affectedCases: number;
  signalled: number;
  closed: number;
  recomputed: number | null;
  adopted: number | null;
  missed: number | null;
  startedAt: Date;
  finishedAt: Date | null;
}

/** 00:00 of 1 January of `year` in Asia/Shanghai. */
const yearStart = (year: number) => new Date(Date.UTC(year, 0, 1) - 8 * 3_600_000);

/**
 * Open cases with a working-day deadline still ahead that reaches into `year` (counting from today,
 * so a year already over touches nothing): the cases a publication of that year recomputes.
 */
export async function countAffectedCases(db: DbOrTrx, year: number, now = new Date()): Promise<number> {
  if (now >= yearStart(year + 1)) return 0;
  const from = new Date(Math.max(now.getTime(), yearStart(year).getTime()));
  const row = await sql<{ n: string }>`
    select count(*) as n from cases c
    where c.status not in (${sql.join(OPEN.map((s) => sql`${s}`))})
      and c.state->'time'->>'kind' = 'calendar'
      and greatest(
            coalesce(c.statutory_deadline, '-infinity'),
            coalesce(c.deadline, '-infinity'),
            coalesce((select max(t.due_at) from case_tasks t where t.case_no = c.case_no and t.open), '-infinity'),
            coalesce(to_timestamp(((c.state->'negativeReview'->>'dueAt')::bigint) / 1000.0), '-infinity')
          ) > ${from}`.execute(db);
  return Number(row.rows[0]?.n ?? 0);
}

export async function createRepublication(
  db: DbOrTrx,
  r: { year: number; version: string; affectedCases: number },
): Promise<number> {
  const row = await db
    .insertInto('calendar_republications')
    .values({
      year: r.year,
      version: r.version,
      affected_cases: r.affectedCases,
      recomputed: null,
      adopted: null,
      missed: null,
      finished_at: null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return Number(row.id);
}

/** A page of open case numbers (keyset by case number) counting with a calendar. */
export async function openCalendarCases(db: DbOrTrx, after: string | undefined, limit: number): Promise<string[]> {
  let q = db
    .selectFrom('cases')
    .select('case_no')
    .where(running)
    .where(sql<boolean>`state->'time'->>'kind' = 'calendar'`)
    .orderBy('case_no')
    .limit(limit);
  if (after) q = q.where('case_no', '>', after);
  return (await q.execute()).map((r) => r.case_no);
}

/** Open cases still counting with another calendar than `version`. */
export async function casesBehind(db: DbOrTrx, version: string, limit: number): Promise<string[]> {
  const rows = await db
    .selectFrom('cases')
    .select('case_no')
    .where(running)
    .where(sql<boolean>`state->'time'->>'kind' = 'calendar'`)
    .where(sql<boolean>`state->'time'->>'version' <> ${version}`)
    .orderBy('case_no')
    .limit(limit)
    .execute();
  return rows.map((r) => r.case_no);
}

export async function recordProgress(db: DbOrTrx, id: number, signalled: number, closed: number): Promise<void> {
  await db.updateTable('calendar_republications').set({ signalled, closed }).where('id', '=', String(id)).execute();
}

/** Closes the record: cases recomputed and adopted by this version, and those still behind it. */
export async function finishRepublication(db: DbOrTrx, id: number): Promise<Republication | undefined> {
  const rec = await db
    .selectFrom('calendar_republications')
    .select('version')
    .where('id', '=', String(id))
    .executeTakeFirst();
  if (!rec) return undefined; // the publication was never committed: nothing to report
  const counts = await sql<{ type: string; n: string }>`
    select type, count(*) as n from case_events
    where type in ('deadlines_recomputed', 'calendar_adopted') and data->>'calendar' = ${rec.version}
    group by type`.execute(db);
  const count = (type: string) => Number(counts.rows.find((r) => r.type === type)?.n ?? 0);
  const missed = await sql<{ n: string }>`
    select count(*) as n from cases
    where ${running}
      and state->'time'->>'kind' = 'calendar' and state->'time'->>'version' <> ${rec.version}`.execute(db);
  await db
    .updateTable('calendar_republications')
    .set({
      recomputed: count('deadlines_recomputed'),
      adopted: count('calendar_adopted'),
      missed: Number(missed.rows[0]?.n ?? 0),
      finished_at: new Date(),
    })
    .where('id', '=', String(id))
    .execute();
  return getRepublication(db, id);
}

export async function getRepublication(db: DbOrTrx, id: number): Promise<Republication | undefined> {
  const r = await db.selectFrom('calendar_republications').selectAll().where('id', '=', String(id)).executeTakeFirst();
  if (!r) return undefined;
  return {
    id: Number(r.id),
    year: r.year,
    version: r.version,
    affectedCases: r.affected_cases,
    signalled: r.signalled,
    closed: r.closed,
    recomputed: r.recomputed,
    adopted: r.adopted,
    missed: r.missed,
    startedAt: r.started_at,
    finishedAt: r.finished_at,
  };
}
