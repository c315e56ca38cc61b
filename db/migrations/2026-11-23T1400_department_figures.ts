import { type Kysely, sql } from 'kysely';
import { SHANGHAI_OFFSET_MS } from '../../domain/calendar';

/**
 * Projection: each department's assessment figures per day its tasks were assigned (the Shanghai
 * calendar day), so that a period's statistics add up a few rows per department and day instead
 * of aggregating every task of the period (a month is ~60,000 tasks at 100,000 cases: ~20 ms of
 * CPU in the database, over the 20 ms budget; see docs/benchmarks.md).
 *
 * `day` is the Shanghai calendar day number of assigned_at, as domain/calendar.ts `shanghaiDayOf`
 * numbers it (a fixed offset): no time-zone database involved.
 * The figures are those of `departmentFigures` (db/repositories/supervision.ts), and
 * `dept_opinion_days` counts the given opinions by their working days to opinion, for the median
 * and p90. Kept up to date in the same transaction as case_tasks by the projection.
 */
/** `shanghaiDayOf(assigned_at)` in SQL. */
const shanghaiDay = sql`floor((extract(epoch from assigned_at) + ${sql.lit(SHANGHAI_OFFSET_MS / 1000)}) / 86400)::int`;

export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table dept_task_figures (
      day integer not null,
      dept text not null,
      received integer not null,
      given integer not null,
      on_time integer not null,
      late integer not null,
      late_working_days integer not null,
      deemed integer not null,
      urged integer not null,
      primary key (day, dept)
    )`.execute(db);
  await sql`
    create table dept_opinion_days (
      day integer not null,
      dept text not null,
      working_days integer not null,
      tasks integer not null,
      primary key (day, dept, working_days)
    )`.execute(db);
  // The tasks already projected.
  await sql`
    insert into dept_task_figures (day, dept, received, given, on_time, late, late_working_days, deemed, urged)
    select ${shanghaiDay}, dept,
           count(*), count(*) filter (where status = 'given'), count(*) filter (where status = 'given' and late_working_days = 0),
           count(*) filter (where (status = 'given' and late_working_days > 0) or deemed), sum(late_working_days),
           count(*) filter (where deemed), sum(urged)
    from case_tasks group by 1, 2`.execute(db);
  await sql`
    insert into dept_opinion_days (day, dept, working_days, tasks)
    select ${shanghaiDay}, dept, working_days_to_opinion, count(*)
    from case_tasks where status = 'given' and working_days_to_opinion is not null group by 1, 2, 3`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop table if exists dept_opinion_days`.execute(db);
  await sql`drop table if exists dept_task_figures`.execute(db);
}
