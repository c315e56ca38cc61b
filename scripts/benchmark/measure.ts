import os from 'node:os';
import { type CompiledQuery } from 'kysely';
import pg from 'pg';
import { RUNS, WARMUP } from './settings';

export interface Measured {
  name: string;
  rows: number;
  p50: number;
  p95: number;
  max: number;
  statements: CompiledQuery[];
}

export const loadavg = () =>
  os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');
export const percentileOf = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))]!;

export async function measure(name: string, run: () => Promise<unknown[]>, capture: Capture): Promise<Measured> {
  capture.start();
  const result = await run();
  const statements = capture.stop();
  for (let i = 0; i < WARMUP; i++) await run();
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    await run();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  const m = {
    name,
    rows: result.length,
    p50: percentileOf(times, 0.5),
    p95: percentileOf(times, 0.95),
    max: times[times.length - 1]!,
    statements,
  };
  console.log(
    `  ${name.padEnd(44)} rows ${String(m.rows).padStart(4)}   p50 ${m.p50.toFixed(2).padStart(7)} ms   p95 ${m.p95.toFixed(2).padStart(7)} ms   max ${m.max.toFixed(2).padStart(7)} ms`,
  );
  return m;
}

/** Records the SQL a repository function sends, so its plans can be shown with the same parameters. */
export class Capture {
  private on = false;
  private queries: CompiledQuery[] = [];
  log = (event: { query: CompiledQuery }) => {
    if (this.on) this.queries.push(event.query);
  };
  start(): void {
    this.on = true;
    this.queries = [];
  }
  stop(): CompiledQuery[] {
    this.on = false;
    return this.queries;
  }
}

export async function explain(pool: pg.Pool, q: CompiledQuery): Promise<string> {
  const res = await pool.query(`explain (analyze, buffers, costs off, summary on) ${q.sql}`, q.parameters as unknown[]);
  // A page's 200 case numbers make a long line; the plan is the same with them elided.
  return res.rows
    .map((r: Record<string, string>) =>
      r['QUERY PLAN']!.replace(/'\{([^}]{120,})\}'/g, (_, list: string) => `'{…${list.split(',').length} values…}'`),
    )
    .join('\n');
}
