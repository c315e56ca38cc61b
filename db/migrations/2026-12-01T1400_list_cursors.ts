import { type Kysely, sql } from 'kysely';
import { OPEN_STATUSES } from '../../domain/status';

/**
 * Indexes for keyset paging of the long lists (GET /api/tasks, /api/supervision/cases,
 * /api/remediations with `cursor`). Each list's order now ends in a unique key (the case number,
 * and for tasks department and round), and its index carries that whole key, so "the page after
 * this row" is one range read in order and stopped at the page, however deep the page. The
 * supervision and inbox indexes keep their names and gain the tie-breaking columns.
 */
const OPEN = sql.join(OPEN_STATUSES.map((s) => sql.lit(s)));

export async function up(db: Kysely<any>): Promise<void> {
  // Supervision lists: oldest progress first, then case number.
  await sql`drop index cases_open_progress_idx`.execute(db);
  await sql`create index cases_open_progress_idx on cases (last_progress_at, case_no) where status in (${OPEN})`.execute(
    db,
  );
  await sql`drop index cases_deciding_lead_idx`.execute(db);
  await sql`create index cases_deciding_lead_idx on cases (lead_dept, last_progress_at, case_no) where status = 'deciding'`.execute(
    db,
  );
  await sql`drop index case_tasks_open_dept_progress_idx`.execute(db);
  await sql`create index case_tasks_open_dept_progress_idx on case_tasks (dept, case_progress_at, case_no) where open`.execute(
    db,
  );
  // 待办 of one department: most urgent first, then the task's key.
  await sql`drop index case_tasks_open_dept_idx`.execute(db);
  await sql`create index case_tasks_open_dept_idx on case_tasks (dept, due_at, case_no, round) where open`.execute(db);
  // ...and of all departments (a supervisor's view of every inbox).
  await sql`create index case_tasks_open_due_idx on case_tasks (due_at, case_no, dept, round) where open`.execute(db);
  // 已办 of one department: latest answered first (read backwards); grows with every opinion ever given.
  await sql`create index case_tasks_done_dept_idx on case_tasks (dept, given_at, case_no, round)
    where status <> 'pending' and given_at is not null`.execute(db);
  // 好差评 remediations: the few cases that have one, by case number.
  await sql`create index cases_remediation_idx on cases (case_no) where state->'remediation' is not null`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const name of [
    'cases_remediation_idx',
    'case_tasks_done_dept_idx',
    'case_tasks_open_due_idx',
    'case_tasks_open_dept_idx',
    'case_tasks_open_dept_progress_idx',
    'cases_deciding_lead_idx',
    'cases_open_progress_idx',
  ]) {
    await sql`drop index if exists ${sql.id(name)}`.execute(db);
  }
  // The definitions of 2026-11-23T1300_supervision_indexes.
  await sql`create index cases_open_progress_idx on cases (last_progress_at) where status in (${OPEN})`.execute(db);
  await sql`create index cases_deciding_lead_idx on cases (lead_dept, last_progress_at) where status = 'deciding'`.execute(
    db,
  );
  await sql`create index case_tasks_open_dept_progress_idx on case_tasks (dept, case_progress_at) include (case_no) where open`.execute(
    db,
  );
  await sql`create index case_tasks_open_dept_idx on case_tasks (dept, due_at) include (case_no) where open`.execute(
    db,
  );
}
