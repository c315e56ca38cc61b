import { type RawBuilder, sql } from 'kysely';
import { isShanghaiMidnight, shanghaiDayOf } from '../../domain/calendar';
import { OPEN_STATUSES } from '../../domain/status';
import type { Alert, CaseStatus, Suspension, TimeModelRef } from '../../domain/types';
import type { RatingCounts } from '../../domain/assessment';
import type { DbOrTrx } from '../index';

export interface SupervisionFilter {
  filter?: 'overdue' | 'at_risk' | 'stuck';
  stalledHours: number;
  dept?: string;
  now: Date;
  limit: number;
  /** Continue after this case in the page order (oldest progress first, then case number). */
  after?: { progressAt: number; caseNo: string };
}

interface CaseColumns {
  case_no: string;
  matter_code: string;
  status: CaseStatus;
  deadline: Date | null;
  alert: Alert;
  last_progress_at: Date;
  lead_dept: string;
}
interface OpenTask {
  case_no: string;
  dept: string;
  assigned_at: Date;
  due_at: Date;
}
type WithOpenTasks<R> = R & { open_tasks: { dept: string; assigned_at: string; due_at: string }[] };

/** Open cases matching a supervision filter, oldest progress first, each with its whole folded state. */
export async function supervisedCases(db: DbOrTrx, f: SupervisionFilter) {
  const { rows } = await sql<WithOpenTasks<CaseColumns & { state: unknown }>>`
    select c.*, ${OPEN_TASKS} from (${page(f)}) c order by c.last_progress_at, c.case_no`.execute(db);
  return rows.map(withOpenTasks);
}

/**
 * As supervisedCases, but of the state only what the supervision route reads (its time model and
 * suspension), taken from the page's rows alone: no whole CaseState per row to send and parse.
 */
export async function supervisedCaseSummaries(db: DbOrTrx, f: SupervisionFilter) {
  const { rows } = await sql<WithOpenTasks<CaseColumns & { time: TimeModelRef; suspension: Suspension | null }>>`
    select c.case_no, c.matter_code, c.status, c.deadline, c.alert, c.last_progress_at, c.lead_dept,
           c.state->'time' as time, c.state->'suspension' as suspension, ${OPEN_TASKS}
    from (${page(f)}) c order by c.last_progress_at, c.case_no`.execute(db);
  return rows.map(withOpenTasks);
}

/** Each case's open tasks by department, read with the page (one index probe per case, no second round trip). */
const OPEN_TASKS = sql`(
  select coalesce(json_agg(json_build_object('dept', t.dept, 'assigned_at', t.assigned_at, 'due_at', t.due_at) order by t.dept), '[]')
  from case_tasks t where t.case_no = c.case_no and t.open) as open_tasks`;

function withOpenTasks<R extends { case_no: string }>({ open_tasks: tasks, ...c }: WithOpenTasks<R>) {
  const openTasks: OpenTask[] = tasks.map((t) => ({
    case_no: c.case_no,
    dept: t.dept,
    assigned_at: new Date(t.assigned_at),
    due_at: new Date(t.due_at),
  }));
  return { ...(c as unknown as R), openTasks };
}

const COLUMNS = sql`cases.case_no, cases.matter_code, cases.status, cases.deadline, cases.alert, cases.last_progress_at, cases.lead_dept, cases.state`;
export const OPEN = sql.join(OPEN_STATUSES.map((s) => sql.lit(s)));

/** The filter, on the row of `cases` (constants are literals: they let the planner match the partial indexes). */
export function condition(f: SupervisionFilter) {
  if (f.filter === 'overdue') {
    // A suspended case's limits move only when its clock resumes, so there the alerts raised before
    // it stopped tell, not the recorded due times.
    return sql`(cases.alert = 'red'
      or (cases.status <> 'suspended' and (cases.deadline < ${f.now}
        or exists (select 1 from case_tasks o where o.case_no = cases.case_no and o.open and o.due_at < ${f.now})))
      or (cases.status = 'suspended' and exists (select 1 from case_tasks o where o.case_no = cases.case_no and o.open and o.alert = 'red')))`;
  }
  if (f.filter === 'at_risk') {
    return sql`(cases.alert = 'yellow' or exists (select 1 from case_tasks o where o.case_no = cases.case_no and o.open and o.alert = 'yellow'))`;
  }
  if (f.filter === 'stuck') return sql`cases.last_progress_at < ${stalledSince(f)}`;
  return sql`true`;
}

const stalledSince = (f: SupervisionFilter) => new Date(f.now.getTime() - f.stalledHours * 3_600_000);

/**
 * One page of open cases, oldest progress first. A department filter keeps the cases it holds up:
 * as the lead while the case waits for its decision, or by an open task. Asked as two ordered
 * branches rather than one OR, so each reads its own index in page order and stops at the page:
 * the deciding cases a department leads (cases_deciding_lead_idx), and its open tasks by their
 * case's progress (case_tasks_open_dept_progress_idx). The second branch relies on what the
 * projection writes together from one state: an open task's case_progress_at is its case's
 * last_progress_at, its case is under review or suspended (so open: no status test, which would
 * only mislead the planner's estimate), and a department has at most one open task per case (its
 * current round). It excludes what the first branch finds, so no case comes twice.
 */
function page(f: SupervisionFilter) {
  const where = condition(f);
  // Keyset: after the last case of the page before, as a range on the same indexes.
  const after = (progress: RawBuilder<unknown>, caseNo: RawBuilder<unknown>) =>
    f.after ? sql`and (${progress}, ${caseNo}) > (${new Date(f.after.progressAt)}, ${f.after.caseNo})` : sql``;
  const ofCase = after(sql.ref('cases.last_progress_at'), sql.ref('cases.case_no'));
  if (!f.dept) {
    return sql`select ${COLUMNS} from cases where cases.status in (${OPEN}) and ${where} ${ofCase}
      order by cases.last_progress_at, cases.case_no limit ${f.limit}`;
  }
  return sql`
    select * from (
      (select ${COLUMNS} from cases
        where cases.status = 'deciding' and cases.lead_dept = ${f.dept} and ${where} ${ofCase}
        order by cases.last_progress_at, cases.case_no limit ${f.limit})
      union all
      (select ${COLUMNS} from case_tasks t join cases on cases.case_no = t.case_no
        where t.open and t.dept = ${f.dept} and not (cases.status = 'deciding' and cases.lead_dept = ${f.dept}) and ${where}
          ${f.filter === 'stuck' ? sql`and t.case_progress_at < ${stalledSince(f)}` /* the same, said of the copy: a range on the index */ : sql``}
          ${after(sql.ref('t.case_progress_at'), sql.ref('t.case_no'))}
        order by t.case_progress_at, t.case_no limit ${f.limit})
    ) page order by last_progress_at, case_no limit ${f.limit}`;
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

/**
 * Per-department figures of the tasks assigned in [from, to). A period of whole Shanghai days (what
 * the statistics route asks for) adds up the daily figures the projection keeps per department
 * (dept_task_figures, dept_opinion_days); any other period aggregates the tasks themselves. Both
 * count alike; `days` come in ascending order.
 */
export async function departmentFigures(db: DbOrTrx, from: Date, to: Date): Promise<DeptFigures[]> {
  return isShanghaiMidnight(from.getTime()) && isShanghaiMidnight(to.getTime())
    ? dailyFigures(db, shanghaiDayOf(from.getTime()), shanghaiDayOf(to.getTime()))
    : departmentFiguresFromTasks(db, from, to);
}

interface FigureSums {
  dept: string;
  received: number;
  given: number;
  on_time: number;
  late: number;
  late_working_days: number;
  deemed: number;
  urged: number;
}

async function dailyFigures(db: DbOrTrx, fromDay: number, toDay: number): Promise<DeptFigures[]> {
  const [figures, days] = await Promise.all([
    db
      .selectFrom('dept_task_figures')
      .select((eb) => [
        'dept',
        eb.fn.sum<number>('received').as('received'),
        eb.fn.sum<number>('given').as('given'),
        eb.fn.sum<number>('on_time').as('on_time'),
        eb.fn.sum<number>('late').as('late'),
        eb.fn.sum<number>('late_working_days').as('late_working_days'),
        eb.fn.sum<number>('deemed').as('deemed'),
        eb.fn.sum<number>('urged').as('urged'),
      ])
      .where('day', '>=', fromDay)
      .where('day', '<', toDay)
      .groupBy('dept')
      .having((eb) => eb.fn.sum('received'), '>', 0)
      .orderBy('dept')
      .execute(),
    db
      .selectFrom('dept_opinion_days')
      .select((eb) => ['dept', 'working_days', eb.fn.sum<number>('tasks').as('tasks')])
      .where('day', '>=', fromDay)
      .where('day', '<', toDay)
      .groupBy(['dept', 'working_days'])
      .having((eb) => eb.fn.sum('tasks'), '>', 0)
      .orderBy('dept')
      .orderBy('working_days')
      .execute(),
  ]);
  const byDept = new Map<string, number[]>();
  for (const d of days) {
    let list = byDept.get(d.dept);
    if (!list) byDept.set(d.dept, (list = []));
    for (let i = 0; i < Number(d.tasks); i++) list.push(d.working_days);
  }
  return figures.map((r) => toFigures(r, byDept.get(r.dept) ?? []));
}

/** The same figures aggregated from the tasks themselves (any period; what the daily figures must add up to). */
export async function departmentFiguresFromTasks(db: DbOrTrx, from: Date, to: Date): Promise<DeptFigures[]> {
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
      sql<
        number[]
      >`coalesce(array_agg(working_days_to_opinion) filter (where working_days_to_opinion is not null and status = 'given'), '{}')`.as(
        'days',
      ),
    ])
    .where('assigned_at', '>=', from)
    .where('assigned_at', '<', to)
    .groupBy('dept')
    .orderBy('dept')
    .execute();
  return rows.map((r) =>
    toFigures(
      r,
      r.days.map(Number).sort((a, b) => a - b),
    ),
  );
}

function toFigures(r: FigureSums, days: number[]): DeptFigures {
  return {
    dept: r.dept,
    received: Number(r.received),
    given: Number(r.given),
    onTime: Number(r.on_time),
    late: Number(r.late),
    lateWorkingDays: Number(r.late_working_days),
    deemed: Number(r.deemed),
    urged: Number(r.urged),
    days,
  };
}

/**
 * 好差评 counts of the cases rated in [from, to), per responsible department (the lead, or whom a
 * supervisor reassigned the remediation to) or per matter.
 */
export async function ratingCounts(
  db: DbOrTrx,
  from: Date,
  to: Date,
  by: 'dept' | 'matter',
): Promise<Map<string, RatingCounts>> {
  const key = by === 'dept' ? sql`coalesce(state->'remediation'->>'dept', lead_dept)` : sql`matter_code`;
  const { rows } = await sql<{ key: string; ratings: string; satisfied: string; bad: string; on_time: string }>`
    select ${key} as key, count(*) as ratings,
           count(*) filter (where (state->'rating'->>'level')::int >= 4) as satisfied,
           count(*) filter (where (state->'rating'->>'level')::int <= 2) as bad,
           count(*) filter (where state->'remediation'->>'onTime' = 'true') as on_time
    from cases
    where state->'rating' is not null
      and to_timestamp((state->'rating'->>'at')::bigint / 1000.0) >= ${from}
      and to_timestamp((state->'rating'->>'at')::bigint / 1000.0) < ${to}
    group by 1 order by 1`.execute(db);
  return new Map(
    rows.map((r) => [
      r.key,
      {
        ratings: Number(r.ratings),
        satisfied: Number(r.satisfied),
        badReviews: Number(r.bad),
        remediatedOnTime: Number(r.on_time),
      },
    ]),
  );
}
