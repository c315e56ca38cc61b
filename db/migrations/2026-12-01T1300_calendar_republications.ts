import { type Kysely, sql } from 'kysely';

/**
 * One row per publication or correction of a calendar year: how many open cases it touched when it
 * was published, and, as the republication workflow goes, how many cases it reached, how many had
 * their deadlines recomputed, and how many were missed.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table calendar_republications (
      id bigserial primary key,
      year integer not null,
      version text not null,
      affected_cases integer not null,
      signalled integer not null default 0,
      closed integer not null default 0,
      recomputed integer,
      adopted integer,
      missed integer,
      started_at timestamptz not null default now(),
      finished_at timestamptz
    )`.execute(db);
  await sql`create index case_events_type_idx on case_events (type) where type in ('deadlines_recomputed', 'calendar_adopted')`.execute(
    db,
  );
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index if exists case_events_type_idx`.execute(db);
  await sql`drop table if exists calendar_republications`.execute(db);
}
