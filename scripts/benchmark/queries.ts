import type { Db } from '../../db';
import { listCaseStates } from '../../db/repositories/cases';
import {
  departmentFigures,
  departmentFiguresFromTasks,
  supervisedCaseSummaries,
  supervisedCases,
  type SupervisionFilter,
} from '../../db/repositories/supervision';
import { departmentTasks } from '../../db/repositories/tasks';
import { type Capture, loadavg, measure, type Measured } from './measure';
import type { Periods } from './population';
import { RUNS, WARMUP } from './settings';

/** Phase 4: each query the supervision, case list and inbox routes run, timed. */
export async function measureQueries(
  db: Db,
  capture: Capture,
  depts: readonly string[],
  { month, from, to, last30 }: Periods,
): Promise<{ results: Measured[]; compared: Measured[] }> {
  const dept = depts[0]!;
  console.log(
    `\nqueries: ${WARMUP} warm-up runs, then ${RUNS} timed runs each (one connection at a time, as one request); load average ${loadavg()}`,
  );
  const filter = (f: Partial<SupervisionFilter>): SupervisionFilter => ({
    stalledHours: 24,
    now: new Date(),
    limit: 200,
    ...f,
  });
  const results: Measured[] = [];
  const supervision = (name: string, f: Partial<SupervisionFilter>) =>
    measure(name, () => supervisedCaseSummaries(db, filter(f)), capture);
  for (const f of ['overdue', 'at_risk', 'stuck'] as const) {
    results.push(await supervision(`supervision ?filter=${f}`, { filter: f }));
    for (const d of depts)
      results.push(await supervision(`supervision ?filter=${f}&dept=${d}`, { filter: f, dept: d }));
  }
  results.push(await supervision('supervision (no filter)', {}));
  results.push(await measure(`supervision stats ${month}`, () => departmentFigures(db, from, to), capture));
  results.push(await measure('supervision stats last 30 days', () => departmentFigures(db, ...last30), capture));
  results.push(
    await measure(
      `tasks ?state=pending&dept=${dept}`,
      () => departmentTasks(db, { dept, state: 'pending', limit: 1000 }),
      capture,
    ),
  );
  results.push(await measure(`cases ?dept=${dept} (limit 50)`, () => listCaseStates(db, { dept, limit: 51 }), capture));
  results.push(
    await measure(
      `cases ?status=in_review&dept=${dept}`,
      () => listCaseStates(db, { status: 'in_review', dept, limit: 51 }),
      capture,
    ),
  );
  // For comparison: the variants the routes no longer read. Every row's whole CaseState; every task of the month.
  const compared = [
    await measure(
      '(compare) supervisedCases ?filter=overdue, whole states',
      () => supervisedCases(db, filter({ filter: 'overdue' })),
      capture,
    ),
    await measure(`(compare) stats ${month} from the tasks`, () => departmentFiguresFromTasks(db, from, to), capture),
  ];

  return { results, compared };
}
