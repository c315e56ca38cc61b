import { type Kysely, sql } from 'kysely';
import { OPEN_STATUSES } from '../../domain/status';

/**
 * Indexes for the supervision lists and the department inbox, justified by their plans at 100,000
 * cases (docs/benchmarks.md), and the one column they need. All are partial: they hold only open
 * cases or open tasks (a fraction of the tables), so they stay small and cheap to maintain.
 */
export async function up(db: Kysely<any>): Promise<void> {
  // Every supervision list: open cases, oldest progress first (also "stuck": a range on it).
  // Scanned in order, a LIMIT 200 page stops after the first matches instead of sorting all open cases.
  await sql`create index cases_open_progress_idx on cases (last_progress_at)
    where status in (${sql.join(OPEN_STATUSES.map((s) => sql.lit(s)))})`.execute(db);
  // dept=: the cases a department holds up as the lead that must decide...
  await sql`create index cases_deciding_lead_idx on cases (lead_dept, last_progress_at) where status = 'deciding'`.execute(
    db,
  );
  // ...or by an open task, in the same order: the case's progress is copied to its task rows (the
  // projection writes both from the same state), so a big department's page stops after its first
  // matches instead of visiting every case it has open.
  await sql`alter table case_tasks add column case_progress_at timestamptz`.execute(db);
  await sql`update case_tasks t set case_progress_at = c.last_progress_at from cases c where c.case_no = t.case_no`.execute(
    db,
  );
  await sql`update case_tasks set case_progress_at = assigned_at where case_progress_at is null`.execute(db); // no case row: not reachable, but never null
  await sql`alter table case_tasks alter column case_progress_at set not null`.execute(db);
  await sql`create index case_tasks_open_dept_progress_idx on case_tasks (dept, case_progress_at) include (case_no) where open`.execute(
    db,
  );
  // A department's pending tasks by due date (GET /api/tasks), and its open cases (dept= filters).
  await sql`create index case_tasks_open_dept_idx on case_tasks (dept, due_at) include (case_no) where open`.execute(
    db,
  );
  // A case's open tasks: "does it have one past due / yellow / of this department", and the blocking
  // departments of a page of cases, all answered from the index alone.
  await sql`create index case_tasks_open_case_idx on case_tasks (case_no, dept) include (assigned_at, due_at, alert) where open`.execute(
    db,
  );
  // at_risk: the cases with a yellow open task, without reading every open task.
  await sql`create index case_tasks_open_alert_idx on case_tasks (alert, case_no) where open`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const name of [
    'case_tasks_open_alert_idx',
    'case_tasks_open_case_idx',
    'case_tasks_open_dept_idx',
    'case_tasks_open_dept_progress_idx',
    'cases_deciding_lead_idx',
    'cases_open_progress_idx',
  ]) {
    await sql`drop index if exists ${sql.id(name)}`.execute(db);
  }
  await sql`alter table case_tasks drop column if exists case_progress_at`.execute(db);
}
