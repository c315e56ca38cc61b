import { sql } from 'kysely';
import type { Db } from '../../db';
import { rebuildProjections } from '../../db/repositories/case-projection';

/** Phase 3: the projections built from the events by `rebuildProjections`, timed; events per second (0 when skipped). */
export async function rebuildPhase(db: Db): Promise<number> {
  if (process.env.BENCH_REBUILD === '0') {
    console.log('\nrebuild skipped (BENCH_REBUILD=0): measuring the projections already there');
    return 0;
  } else {
    console.log('\nrebuilding the projections (rebuildProjections: one transaction, batches of cases)');
    const t0 = performance.now();
    const rebuilt = await rebuildProjections(db, {
      onProgress: (c, e) => {
        if (c % 10_000 === 0) process.stderr.write(`\r  ${c} cases, ${e} events`);
      },
    });
    const seconds = (performance.now() - t0) / 1000;
    process.stderr.write('\n');
    const rate = Math.round(rebuilt.events / seconds);
    console.log(
      `  rebuilt ${rebuilt.cases} cases from ${rebuilt.events} events in ${seconds.toFixed(1)} s: ${rate} events/s (target ≥ 20,000)`,
    );
    // What autovacuum does after a bulk load; the plans below assume fresh statistics and visibility maps.
    await sql`vacuum (analyze) cases, case_tasks, case_fees`.execute(db);
    return rate;
  }
}
