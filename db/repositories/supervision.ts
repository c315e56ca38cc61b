import { sql } from 'kysely';
import type { DbOrTrx } from '../index';

export const OPEN_STATUSES = ['in_review', 'suspended', 'deciding', 'negative_review'];

export interface SupervisionFilter {
  filter?: 'overdue' | 'at_risk' | 'stuck';
  stalledHours: number;
  dept?: string;
  now: Date;
  limit: number;
}

/** Open cases matching a supervision filter, oldest progress first. */
export async function supervisedCases(db: DbOrTrx, f: SupervisionFilter) {
  let q = db
    .selectFrom('cases')
    .select(['case_no', 'matter_code', 'status', 'deadline', 'alert', 'last_progress_at', 'lead_dept', 'state'])
    .where('status', 'in', OPEN_STATUSES)
    .orderBy('last_progress_at')
    .limit(f.limit);
  if (f.filter === 'overdue') {
    q = q.where((eb) => eb.or([
      eb('alert', '=', 'red'),
      eb('deadline', '<', f.now),
      eb.exists(eb.selectFrom('case_tasks').select('case_tasks.case_no').whereRef('case_tasks.case_no', '=', 'cases.case_no').where('case_tasks.open', '=', true).where('case_tasks.due_at', '<', f.now)),
    ]));
  } else if (f.filter === 'at_risk') {
    q = q.where((eb) => eb.or([
      eb('alert', '=', 'yellow'),
      eb.exists(eb.selectFrom('case_tasks').select('case_tasks.case_no').whereRef('case_tasks.case_no', '=', 'cases.case_no').where('case_tasks.open', '=', true).where('case_tasks.alert', '=', 'yellow')),
    ]));
  } else if (f.filter === 'stuck') {
    q = q.where('last_progress_at', '<', new Date(f.now.getTime() - f.stalledHours * 3_600_000));
  }
  if (f.dept) {
    const dept = f.dept;
    q = q.where((eb) => eb.or([
      eb.and([eb('status', '=', 'deciding'), eb('lead_dept', '=', dept)]),
      eb.exists(eb.selectFrom('case_tasks').select('case_tasks.case_no').whereRef('case_tasks.case_no', '=', 'cases.case_no').where('case_tasks.open', '=', true).where('case_tasks.dept', '=', dept)),
    ]));
  }
  const cases = await q.execute();
  if (!cases.length) return [];
  const tasks = await db.selectFrom('case_tasks').select(['case_no', 'dept', 'assigned_at', 'due_at']).where('open', '=', true).where('case_no', 'in', cases.map((c) => c.case_no)).execute();
  return cases.map((c) => ({ ...c, openTasks: tasks.filter((t) => t.case_no === c.case_no) }));
}

export interface DeptFigures {
  dept: string;
  received: number;
  given: number;
  onTime: number;
  late: number;
  lateWorkingDays: number;
  deemed: number;
  urged: number;
  days: number[];
}

/** Per-department figures of the tasks assigned in [from, to). */
export async function departmentFigures(db: DbOrTrx, from: Date, to: Date): Promise<DeptFigures[]> {
  const rows = await db
    .selectFrom('case_tasks')
    .select((eb) => [
      'dept',
      eb.fn.countAll<number>().as('received'),
      sql<number>`count(*) filter (where status = 'given')`.as('given'),
      sql<number>`count(*) filter (where status = 'given' and late_working_days = 0)`.as('on_time'),
      sql<number>`count(*) filter (where (status = 'given' and late_working_days > 0) or deemed)`.as('late'),
      sql<number>`coalesce(sum(late_working_days), 0)`.as('late_working_days'),
      sql<number>`count(*) filter (where deemed)`.as('deemed'),
      sql<number>`coalesce(sum(urged), 0)`.as('urged'),
      sql<number[]>`coalesce(array_agg(working_days_to_opinion) filter (where working_days_to_opinion is not null and status = 'given'), '{}')`.as('days'),
    ])
    .where('assigned_at', '>=', from)
    .where('assigned_at', '<', to)
    .groupBy('dept')
    .orderBy('dept')
    .execute();
  return rows.map((r) => ({
    dept: r.dept, received: Number(r.received), given: Number(r.given), onTime: Number(r.on_time), late: Number(r.late),
    lateWorkingDays: Number(r.late_working_days), deemed: Number(r.deemed), urged: Number(r.urged), days: r.days.map(Number),
  }));
}
