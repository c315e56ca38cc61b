import { sql } from 'kysely';
import type { DbOrTrx } from '../index';
import { condition, OPEN } from './supervision';

export interface Counts {
  open: number;
  overdue: number;
  atRisk: number;
  stuck: number;
}
export interface DeptCounts extends Counts {
  dept: string;
  name: string | null;
  oldestSince: Date | null;
}

/**
 * The dashboard's counts: open cases overdue, at risk and stuck (as GET /api/supervision/cases
 * filters them), and per department the cases it holds up — by an open task, or as the lead that
 * must decide — with how many of those it is late on, at risk on, stuck on, and since when the
 * oldest has waited for it.
 */
export async function supervisionCounts(
  db: DbOrTrx,
  now: Date,
  stalledHours: number,
): Promise<Counts & { departments: DeptCounts[] }> {
  const f = { stalledHours, now, limit: 0 };
  const stalled = new Date(now.getTime() - stalledHours * 3_600_000);
  const [totals, depts] = await Promise.all([
    sql<Counts>`
      select count(*) as open,
             count(*) filter (where ${condition({ ...f, filter: 'overdue' })}) as overdue,
             count(*) filter (where ${condition({ ...f, filter: 'at_risk' })}) as "atRisk",
             count(*) filter (where ${condition({ ...f, filter: 'stuck' })}) as stuck
      from cases where cases.status in (${OPEN})`.execute(db),
    sql<{
      dept: string;
      name: string | null;
      open: number;
      overdue: number;
      atRisk: number;
      stuck: number;
      oldest: Date | null;
    }>`
      with blocking as (
        select t.dept, t.case_no, t.assigned_at as since,
               (t.alert = 'red' or (c.status <> 'suspended' and t.due_at < ${now})) as overdue,
               t.alert = 'yellow' as at_risk,
               c.last_progress_at < ${stalled} as stuck
        from case_tasks t join cases c on c.case_no = t.case_no
        where t.open
        union all
        select c.lead_dept, c.case_no, c.last_progress_at,
               (c.alert = 'red' or c.deadline < ${now}), c.alert = 'yellow', c.last_progress_at < ${stalled}
        from cases c where c.status = 'deciding'
      )
      select b.dept, d.name, count(*) as open, count(*) filter (where b.overdue) as overdue,
             count(*) filter (where b.at_risk) as "atRisk", count(*) filter (where b.stuck) as stuck,
             min(b.since) as oldest
      from blocking b left join departments d on d.code = b.dept
      group by b.dept, d.name
      order by count(*) filter (where b.overdue) desc, count(*) desc, b.dept`.execute(db),
  ]);
  const t = totals.rows[0]!;
  return {
    open: Number(t.open),
    overdue: Number(t.overdue),
    atRisk: Number(t.atRisk),
    stuck: Number(t.stuck),
    departments: depts.rows.map((r) => ({
      dept: r.dept,
      name: r.name,
      open: Number(r.open),
      overdue: Number(r.overdue),
      atRisk: Number(r.atRisk),
      stuck: Number(r.stuck),
      oldestSince: r.oldest ? new Date(r.oldest) : null,
    })),
  };
}

export interface WeekRow {
  weekStartDay: number;
  dept: string;
  received: number;
  given: number;
  onTime: number;
  late: number;
  lateWorkingDays: number;
  deemed: number;
  urged: number;
}

/**
 * Each department's figures per week (Monday to Sunday, Shanghai days) of the days [fromDay, toDay),
 * added up from the daily per-department figures the projection keeps (dept_task_figures).
 * Day numbers count from 1970-01-01, a Thursday: the Monday of `day` is `day - (day + 3) mod 7`.
 */
export async function weeklyFigures(db: DbOrTrx, fromDay: number, toDay: number, dept?: string): Promise<WeekRow[]> {
  const { rows } = await sql<WeekRow>`
    select day - ((day + 3) % 7) as "weekStartDay", dept,
           sum(received) as received, sum(given) as given, sum(on_time) as "onTime", sum(late) as late,
           sum(late_working_days) as "lateWorkingDays", sum(deemed) as deemed, sum(urged) as urged
    from dept_task_figures
    where day >= ${fromDay} and day < ${toDay} ${dept ? sql`and dept = ${dept}` : sql``}
    group by 1, 2 having sum(received) > 0
    order by 1, 2`.execute(db);
  return rows.map((r) => ({
    weekStartDay: Number(r.weekStartDay),
    dept: r.dept,
    received: Number(r.received),
    given: Number(r.given),
    onTime: Number(r.onTime),
    late: Number(r.late),
    lateWorkingDays: Number(r.lateWorkingDays),
    deemed: Number(r.deemed),
    urged: Number(r.urged),
  }));
}

export interface DeliveryRow {
  dept: string;
  name: string;
  webhookUrl: string | null;
  lastAttemptAt: Date | null;
  lastSuccessAt: Date | null;
  lastFailureAt: Date | null;
  lastError: string | null;
  failingSince: Date | null;
  consecutiveFailures: number;
  undelivered: number;
}

/** Every department with its webhook's delivery state, and the notices not delivered since its webhook was set. */
export async function departmentDeliveries(db: DbOrTrx): Promise<DeliveryRow[]> {
  const { rows } = await sql<DeliveryRow>`
    select d.code as dept, d.name, d.webhook_url as "webhookUrl",
           s.last_attempt_at as "lastAttemptAt", s.last_success_at as "lastSuccessAt",
           s.last_failure_at as "lastFailureAt", s.last_error as "lastError", s.failing_since as "failingSince",
           coalesce(s.consecutive_failures, 0) as "consecutiveFailures",
           case when d.webhook_url is null then 0 else (
             select count(*) from notifications n
             where n.dept = d.code and n.delivered_at is null and n.created_at >= d.updated_at) end as undelivered
    from departments d left join department_deliveries s on s.dept = d.code
    order by d.code`.execute(db);
  return rows.map((r) => ({
    ...r,
    consecutiveFailures: Number(r.consecutiveFailures),
    undelivered: Number(r.undelivered),
  }));
}

/** Records one webhook delivery attempt of a department: a success clears its failing state. */
export async function recordDeliveryAttempt(
  db: DbOrTrx,
  dept: string,
  outcome: { ok: true } | { ok: false; error: string },
  at = new Date(),
): Promise<void> {
  if (outcome.ok) {
    await db
      .insertInto('department_deliveries')
      .values({ dept, last_attempt_at: at, last_success_at: at, consecutive_failures: 0 })
      .onConflict((oc) =>
        oc.column('dept').doUpdateSet({
          last_attempt_at: at,
          last_success_at: at,
          failing_since: null,
          consecutive_failures: 0,
        }),
      )
      .execute();
    return;
  }
  const error = outcome.error.slice(0, 500);
  await db
    .insertInto('department_deliveries')
    .values({
      dept,
      last_attempt_at: at,
      last_failure_at: at,
      last_error: error,
      failing_since: at,
      consecutive_failures: 1,
    })
    .onConflict((oc) =>
      oc.column('dept').doUpdateSet((eb) => ({
        last_attempt_at: at,
        last_failure_at: at,
        last_error: error,
        failing_since: sql<Date>`coalesce(${eb.ref('department_deliveries.failing_since')}, ${at})`,
        consecutive_failures: sql<number>`${eb.ref('department_deliveries.consecutive_failures')} + 1`,
      })),
    )
    .execute();
}
