import { sql } from 'kysely';
import type { Db } from '../../db';
import { departmentFigures, departmentFiguresFromTasks } from '../../db/repositories/supervision';
import { parseDateOrInstant } from '../../domain/calendar';
import { HOUR } from './simulation';

/** The periods a supervisor asks about, in the centre's local dates. */
export interface Periods {
  month: string;
  from: Date;
  to: Date;
  last30: readonly [Date, Date];
  history: readonly [Date, Date];
}

export function periodsAround(now: number): Periods {
  // The previous calendar month, as a supervisor asks for it (?from=YYYY-MM-01&to=YYYY-MM-last).
  const local = new Date(now + 8 * HOUR);
  const monthStart = new Date(Date.UTC(local.getUTCFullYear(), local.getUTCMonth() - 1, 1));
  const monthEnd = new Date(Date.UTC(local.getUTCFullYear(), local.getUTCMonth(), 0));
  const from = new Date(parseDateOrInstant(monthStart.toISOString().slice(0, 10))!);
  const to = new Date(parseDateOrInstant(monthEnd.toISOString().slice(0, 10))! + 86_400_000);
  // And the 30 days to today, the busiest stretch (the open cases are the recent ones).
  const today = parseDateOrInstant(local.toISOString().slice(0, 10))!;
  const last30 = [new Date(today - 29 * 86_400_000), new Date(today + 86_400_000)] as const;
  const month = monthStart.toISOString().slice(0, 7);

  const history = [new Date(today - 400 * 86_400_000), new Date(today + 86_400_000)] as const;
  return { month, from, to, last30, history };
}

/** What was built: the case and task mix, and the departments the dept= queries are measured for. */
export async function describePopulation(db: Db): Promise<string[]> {
  const mix = await sql<{
    status: string;
    alert: string;
    n: number;
  }>`select status, alert, count(*)::int as n from cases group by 1, 2 order by 1, 2`.execute(db);
  console.log(`\ncase mix: ${mix.rows.map((r) => `${r.status}/${r.alert} ${r.n}`).join(', ')}`);
  const taskMix = (
    await sql<{ tasks: number; open: number; open_yellow: number; open_overdue: number }>`
      select count(*)::int as tasks, count(*) filter (where open)::int as open,
             count(*) filter (where open and alert = 'yellow')::int as open_yellow, count(*) filter (where open and due_at < now())::int as open_overdue
      from case_tasks`.execute(db)
  ).rows[0]!;
  console.log(
    `tasks: ${taskMix.tasks}, open ${taskMix.open} (yellow ${taskMix.open_yellow}, past due ${taskMix.open_overdue})`,
  );
  // The dept= queries for the busiest department, a middling one and a small one: the plans differ.
  const byDept = (
    await sql<{
      dept: string;
      n: number;
    }>`select dept, count(*)::int as n from case_tasks where open group by dept order by 2 desc, 1`.execute(db)
  ).rows;
  const depts = [
    ...new Set([byDept[0]!, byDept[Math.floor(byDept.length / 2)]!, byDept[byDept.length - 1]!].map((d) => d.dept)),
  ];
  console.log(
    `departments for the dept= queries (open tasks): ${depts.map((d) => `${d} ${byDept.find((x) => x.dept === d)!.n}`).join(', ')}`,
  );

  return depts;
}

/** The daily department figures (kept by the projection) must add up to what the tasks say. */
export async function checkFigures(db: Db, { month, from, to, last30, history }: Periods): Promise<void> {
  for (const [name, a, b] of [
    [month, from, to],
    ['all history', ...history],
  ] as const) {
    const same =
      JSON.stringify(await departmentFigures(db, a, b)) === JSON.stringify(await departmentFiguresFromTasks(db, a, b));
    console.log(`daily department figures = the tasks' aggregate (${name}): ${same ? 'yes' : 'NO'}`);
    if (!same) throw new Error(`department figures of ${name} differ from the tasks'`);
  }
  const monthTasks = (
    await sql<{
      n: number;
    }>`select count(*)::int as n from case_tasks where assigned_at >= ${from} and assigned_at < ${to}`.execute(db)
  ).rows[0]!.n;
  const last30Tasks = (
    await sql<{
      n: number;
    }>`select count(*)::int as n from case_tasks where assigned_at >= ${last30[0]} and assigned_at < ${last30[1]}`.execute(
      db,
    )
  ).rows[0]!.n;
  console.log(`tasks assigned in ${month}: ${monthTasks}; in the last 30 days: ${last30Tasks}`);
}
