import { sql } from 'kysely';
import type { TimeModelRef } from '../../domain/types';
import type { DbOrTrx } from '../index';

export type TaskState = 'pending' | 'done' | 'all';

/**
 * Department review tasks (GET /api/tasks) with what the work lists show of their case: of one
 * department, or of all when none is named; `pending` are the open ones (the partial index
 * case_tasks_open_dept_idx), most urgent first; `done` the answered ones, latest first.
 */
export async function departmentTasks(db: DbOrTrx, f: { dept?: string; state: TaskState; limit: number }) {
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
    // 待办: the most urgent first; 已办: the latest answered first.
    .orderBy(f.state === 'done' ? sql`t.given_at desc nulls last` : sql`t.due_at`)
    .limit(f.limit);
  if (f.dept) query = query.where('t.dept', '=', f.dept);
  if (f.state === 'pending') query = query.where('t.open', '=', true);
  if (f.state === 'done') query = query.where('t.status', '!=', 'pending');
  return query.execute();
}
