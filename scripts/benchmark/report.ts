import { sql } from 'kysely';
import type pg from 'pg';
import type { Db } from '../../db';
import { explain, loadavg, type Measured } from './measure';
import { EXPLAIN } from './settings';

/** The summary table, the plans of every statement measured, and the sizes on disk. */
export async function report(
  db: Db,
  pool: pg.Pool,
  { results, compared }: { results: Measured[]; compared: Measured[] },
  rate: number,
): Promise<void> {
  console.log(`\nsummary (ms); load average now ${loadavg()}`);
  console.log('  | query | rows | p50 | p95 | max |');
  console.log('  |---|---:|---:|---:|---:|');
  for (const m of [...results, ...compared])
    console.log(`  | ${m.name} | ${m.rows} | ${m.p50.toFixed(2)} | ${m.p95.toFixed(2)} | ${m.max.toFixed(2)} |`);
  const supervisionMax = Math.max(...results.filter((m) => m.name.startsWith('supervision')).map((m) => m.p95));
  console.log(
    `  worst supervision p95 ${supervisionMax.toFixed(2)} ms (target ≤ 20 ms); rebuild ${rate} events/s (target ≥ 20,000)`,
  );

  if (EXPLAIN) {
    console.log('\nplans: EXPLAIN (ANALYZE, BUFFERS) of every statement, with the parameters of the measured runs');
    for (const m of [...results, ...compared]) {
      for (const [i, q] of m.statements.entries()) {
        console.log(`\n--- ${m.name}${m.statements.length > 1 ? ` [statement ${i + 1}/${m.statements.length}]` : ''}`);
        console.log(q.sql.replace(/\s+/g, ' '));
        console.log(await explain(pool, q));
      }
    }
  }
  const sizes = await sql<{ name: string; size: string }>`
      select relname as name, pg_size_pretty(pg_total_relation_size(relid)) as size from pg_stat_user_tables where relname in ('case_events', 'cases', 'case_tasks', 'case_fees', 'dept_task_figures', 'dept_opinion_days')
      union all
      select indexrelname, pg_size_pretty(pg_relation_size(indexrelid)) from pg_stat_user_indexes where relname in ('case_events', 'cases', 'case_tasks', 'case_fees')`.execute(
    db,
  );
  console.log(
    `\nsizes (tables with their indexes and TOAST, then each index): ${sizes.rows.map((r) => `${r.name} ${r.size}`).join(', ')}`,
  );
}
