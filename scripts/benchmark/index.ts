import { currentCalendar } from '../../db/repositories/calendars';
import type { TimeModel } from '../../domain/calendar';
import { describeMachine, openBenchDatabase, type Cleanups } from './database';
import { liveCheck } from './live-check';
import { checkFigures, describePopulation, periodsAround } from './population';
import { measureQueries } from './queries';
import { rebuildPhase } from './rebuild';
import { report } from './report';
import { seedPhase } from './seed';

/**
 * `npm run benchmark`: the read side at scale (see docs/benchmarks.md).
 *
 * 1. A throw-away embedded PostgreSQL (or BENCH_DATABASE_URL), migrated.
 * 2. BENCH_CASES cases (default 100,000) simulated with the real domain code: every event comes
 *    from `decide` (user commands, and `tick` at each armed timer, as the workflow does), is
 *    wrapped by `envelope` and folded with `fold`. Written to case_events in multi-row batches,
 *    in the order the events happened.
 * 3. The projections are built by `rebuildProjections`, timed: that is the rebuild figure. The
 *    daily department figures are checked against the tasks.
 * 4. Each query the supervision, case list and inbox routes run: warm-up, then BENCH_RUNS (200)
 *    timed runs, p50/p95/max; then EXPLAIN (ANALYZE, BUFFERS) of every SQL statement it sends.
 * 5. The live path: a sample of open cases moves on through appendAndProject; figures checked again.
 *
 * One module per phase: database.ts, seed.ts (with simulation.ts, catalog.ts, random.ts), rebuild.ts,
 * population.ts, queries.ts (with measure.ts), report.ts, live-check.ts.
 *
 * Environment: BENCH_CASES, BENCH_RUNS, BENCH_SEED, BENCH_DATABASE_URL (an empty database, or
 * BENCH_RESET=1 to truncate its event store and projections first; BENCH_REUSE=1 keeps the events
 * already there and only rebuilds and measures; with BENCH_REBUILD=0 too, only measures), BENCH_EXPLAIN=0
 * to skip the plans.
 */
async function main(): Promise<void> {
  const cleanups: Cleanups = [];
  try {
    const { db, pool, capture } = await openBenchDatabase(cleanups);
    await describeMachine(db);
    const now = Date.now();
    const time: TimeModel = { kind: 'calendar', calendar: await currentCalendar(db) };
    await seedPhase(db, time, now);
    const rate = await rebuildPhase(db);
    const depts = await describePopulation(db);
    const periods = periodsAround(now);
    await checkFigures(db, periods);
    const measured = await measureQueries(db, capture, depts, periods);
    await report(db, pool, measured, rate);
    await liveCheck(db, time, now, periods.history);
  } finally {
    for (const cleanup of cleanups.reverse())
      await Promise.resolve(cleanup()).catch((err) => console.error('cleanup', err));
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
