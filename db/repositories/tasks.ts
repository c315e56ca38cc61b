import type { DbOrTrx } from '../index';

export type TaskState = 'pending' | 'done' | 'all';

/**
 * Department review tasks by due date (GET /api/tasks): of one department, or of all when none is
 * named; `pending` are the open ones (the partial index case_tasks_open_dept_idx), `done` the answered.
 */
export async function departmentTasks(db: DbOrTrx, f: { dept?: string; state: TaskState; limit: number }) {
  let query = db
    .selectFrom('case_tasks')
    .select(['case_no', 'matter_code', 'dept', 'round', 'status', 'assigned_at', 'due_at', 'alert'])
    .orderBy('due_at')
    .limit(f.limit);
  if (f.dept) query = query.where('dept', '=', f.dept);
  if (f.state === 'pending') query = query.where('open', '=', true);
  if (f.state === 'done') query = query.where('status', '!=', 'pending');
  return query.execute();
}
