import { sql } from 'kysely';
import type { TimeModelRef } from '../../domain/types';
import type { DbOrTrx } from '../index';

export type TaskState = 'pending' | 'done' | 'all';

/** Where a page of tasks continues: the sort key of the last task of the page before. */
export interface TaskKey {
  /** due_at (pending, all) or given_at (done), epoch ms. */
  at: number;
  caseNo: string;
  dept: string;
  round: number;
}

/**
 * Department review tasks (GET /api/tasks) with what the work lists show of their case: of one
 * department, or of all when none is named; `pending` are the open ones, most urgent first; `done`
 * the answered ones, latest first; `all` by due time. Each order ends in the task's key (case,
 * department, round), so it is total and a page continues exactly `after` the last task it showed:
 * a range on case_tasks_open_dept_due_idx / case_tasks_open_due_idx (pending) or
 * case_tasks_done_dept_idx (done), read in order and stopped at the page.
 */
export async function departmentTasks(
  db: DbOrTrx,
  f: { dept?: string; state: TaskState; limit: number; after?: TaskKey },
) {
  const done = f.state === 'done';
  const at = done ? sql.ref('t.given_at') : sql.ref('t.due_at');
  let query = db
    .selectFrom('case_tasks as t')
    .innerJoin('cases as c', 'c.case_no', 't.case_no')
    .select([
      't.case_no',
      't.matter_code',
      't.dept',
      't.round',
      't.role',
      't.status',
      't.verdict',
      't.assigned_at',
      't.due_at',
      't.given_at',
      't.alert',
      'c.applicant_name',
      'c.status as case_status',
      sql<string>`c.state->'matter'->>'name'`.as('matter_name'),
      sql<TimeModelRef>`c.state->'time'`.as('time'),
    ])
    .limit(f.limit);
  // 待办: the most urgent first; 已办: the latest answered first (every answered task has given_at).
  query = done
    ? query
        .orderBy('t.given_at', 'desc')
        .orderBy('t.case_no', 'desc')
        .orderBy('t.dept', 'desc')
        .orderBy('t.round', 'desc')
    : query.orderBy('t.due_at').orderBy('t.case_no').orderBy('t.dept').orderBy('t.round');
  if (f.dept) query = query.where('t.dept', '=', f.dept);
  // Literals, not parameters: they let the planner match the partial indexes.
  if (f.state === 'pending') query = query.where(sql<boolean>`t.open = true`);
  if (done) query = query.where(sql<boolean>`t.status <> 'pending' and t.given_at is not null`);
  const a = f.after;
  if (a) {
    // One row comparison in the index's column order (the department, when fixed, is its first column).
    const key = sql`(${at}, t.case_no, t.dept, t.round)`;
    const value = sql`(${new Date(a.at)}, ${a.caseNo}, ${a.dept}, ${a.round})`;
    query = query.where(done ? sql<boolean>`${key} < ${value}` : sql<boolean>`${key} > ${value}`);
  }
  return query.execute();
}

export const taskKey = (
  state: TaskState,
  r: { given_at: Date | null; due_at: Date; case_no: string; dept: string; round: number },
): TaskKey => ({
  at: (state === 'done' ? r.given_at! : r.due_at).getTime(),
  caseNo: r.case_no,
  dept: r.dept,
  round: r.round,
});
