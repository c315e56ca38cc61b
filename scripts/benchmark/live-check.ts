import { sql } from 'kysely';
import type { Db } from '../../db';
import { appendAndProject } from '../../db/repositories/case-projection';
import { REVIEW_OR_DECIDING } from '../../domain/status';
import { departmentFigures, departmentFiguresFromTasks } from '../../db/repositories/supervision';
import { type TimeModel } from '../../domain/calendar';
import { type CaseState } from '../../domain/types';
import { percentileOf } from './measure';
import { CaseSim, HOUR, staffOf } from './simulation';

/**
 * The live write path at scale: a sample of open cases gets its next days (timers, the pending
 * opinions, the lead's decision) from the domain rules, appended through appendAndProject as the
 * workflow does, one transaction per case. Afterwards the daily department figures must still add
 * up to the tasks.
 */
export async function liveCheck(db: Db, time: TimeModel, now: number, history: readonly [Date, Date]): Promise<void> {
  const sample = (
    await sql<{ case_no: string; state: CaseState }>`
    select case_no, state from cases where status in (${sql.join(REVIEW_OR_DECIDING.map((s) => sql.lit(s)))}) order by md5(case_no) limit 2000`.execute(
      db,
    )
  ).rows;
  const later = now + 3 * 86_400_000;
  const times: number[] = [];
  let events = 0;
  for (const { case_no: caseNo, state } of sample) {
    const sim = new CaseSim(caseNo, time, later);
    sim.state = state;
    sim.advance(later - 2 * HOUR);
    for (const t of sim.s.departments.filter((x) => x.status === 'pending')) {
      sim.do({ type: 'give_opinion', opinion: { verdict: 'approve', comment: '同意' } }, staffOf(t.dept), later - HOUR);
    }
    sim.do({ type: 'decide', decision: 'approve' }, staffOf(sim.s.matter.leadDept), later - 30 * 60_000);
    if (!sim.events.length) continue;
    const t0 = performance.now();
    await appendAndProject(db, caseNo, sim.events);
    times.push(performance.now() - t0);
    events += sim.events.length;
  }
  times.sort((a, b) => a - b);
  const same =
    JSON.stringify(await departmentFigures(db, ...history)) ===
    JSON.stringify(await departmentFiguresFromTasks(db, ...history));
  console.log(
    `\nlive path: ${events} events appended to ${times.length} open cases with appendAndProject, ` +
      `p50 ${percentileOf(times, 0.5).toFixed(2)} ms, p95 ${percentileOf(times, 0.95).toFixed(2)} ms per case; ` +
      `daily department figures = the tasks' aggregate afterwards: ${same ? 'yes' : 'NO'}`,
  );
  if (!same) throw new Error('department figures differ from the tasks after the live appends');
}
