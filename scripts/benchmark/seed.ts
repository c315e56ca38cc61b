import { sql } from 'kysely';
import type { Db } from '../../db';
import { toEventRow } from '../../db/repositories/case-events';
import { putDepartment, putMatter } from '../../db/repositories/catalog';
import { dayOf, type DayNo, type TimeModel } from '../../domain/calendar';
import { DEPARTMENTS, makeMatters } from './catalog';
import { CASES, SEED } from './settings';
import { Scenario, Simulator } from './simulation';

export type EventRow = ReturnType<typeof toEventRow>;

export async function insertEventRows(db: Db, rows: EventRow[]): Promise<void> {
  // One statement per batch with one array parameter per column: far cheaper to parse and plan
  // than a VALUES list with a parameter per cell (and no 65,535-parameter limit).
  await sql`
    insert into case_events (case_no, seq, type, data, actor_sub, actor_role, actor_dept, occurred_at)
    select * from unnest(
      ${rows.map((r) => r.case_no)}::text[], ${rows.map((r) => r.seq)}::int[], ${rows.map((r) => r.type)}::text[],
      ${rows.map((r) => r.data)}::jsonb[], ${rows.map((r) => r.actor_sub)}::text[], ${rows.map((r) => r.actor_role)}::text[],
      ${rows.map((r) => r.actor_dept)}::text[], ${rows.map((r) => r.occurred_at.toISOString())}::timestamptz[])`.execute(
    db,
  );
}

/**
 * Simulates the cases in submission order and appends their events in the order they happened,
 * interleaved across cases, as the live system appends them: so the event store's physical layout
 * (one case's events spread over the pages of its weeks) is the one a rebuild really meets.
 */
export async function seed(
  db: Db,
  time: TimeModel,
  now: number,
): Promise<{ cases: number; events: number; seconds: number; byScenario: Map<Scenario, number> }> {
  const started = performance.now();
  const matters = makeMatters();
  for (const [code, name] of DEPARTMENTS) await putDepartment(db, code, { name });
  for (const m of matters) await putMatter(db, m);
  const simulator = new Simulator(time, now, matters);
  // Case numbers follow submission order, as the case_no sequence hands them out.
  const plans = Array.from({ length: CASES }, () => simulator.plan()).sort((a, b) => a.day - b.day);
  const byScenario = new Map<Scenario, number>();
  let events = 0;
  /** Events not yet appended, by the day they happened. */
  const byDay = new Map<DayNo, { at: number; row: EventRow }[]>();
  let batch: EventRow[] = [];
  let inFlight: Promise<void> = Promise.resolve();
  const flush = async () => {
    const rows = batch;
    batch = [];
    await inFlight;
    inFlight = insertEventRows(db, rows); // simulation of the next cases overlaps this insert
  };
  /** Every event of a day before `day` is final: cases simulated later were all submitted on or after it. */
  const release = async (day: DayNo) => {
    for (const d of [...byDay.keys()].filter((k) => k < day).sort((a, b) => a - b)) {
      const events = byDay.get(d)!.sort((a, b) => a.at - b.at);
      byDay.delete(d);
      for (const e of events) batch.push(e.row);
      if (batch.length >= 20_000) await flush();
    }
  };
  for (let i = 0; i < plans.length; i++) {
    const p = plans[i]!;
    await release(p.day);
    const caseNo = `JA${civilDate(p.day)}${String(i + 1).padStart(6, '0')}`;
    const caseEvents = simulator.simulate(caseNo, p);
    byScenario.set(p.scenario, (byScenario.get(p.scenario) ?? 0) + 1);
    events += caseEvents.length;
    for (const e of caseEvents) {
      const day = dayOf(time, e.at);
      let list = byDay.get(day);
      if (!list) byDay.set(day, (list = []));
      list.push({ at: e.at, row: toEventRow(e) });
    }
    if ((i + 1) % 10_000 === 0) process.stderr.write(`\r  simulated ${i + 1} cases, ${events} events`);
  }
  await release(Number.MAX_SAFE_INTEGER);
  await flush();
  await inFlight;
  process.stderr.write('\n');
  return { cases: plans.length, events, seconds: (performance.now() - started) / 1000, byScenario };
}

export function civilDate(day: DayNo): string {
  return new Date(day * 86_400_000).toISOString().slice(0, 10).replaceAll('-', '');
}

/** Phase 2: the event store filled by the simulation (or the events already there kept, BENCH_REUSE=1). */
export async function seedPhase(db: Db, time: TimeModel, now: number): Promise<void> {
  const existing = Number(
    (await sql<{ n: number }>`select count(*)::int as n from case_events`.execute(db)).rows[0]!.n,
  );
  if (existing && process.env.BENCH_REUSE === '1') {
    console.log(`\nreusing the ${existing} events already stored`);
  } else {
    if (existing) {
      if (process.env.BENCH_RESET !== '1')
        throw new Error(
          'the database already holds events: set BENCH_RESET=1 to truncate them, or BENCH_REUSE=1 to keep them',
        );
      await sql`alter table case_events disable trigger case_events_no_update`.execute(db);
      await sql`truncate table case_events, cases, case_tasks, case_fees, notifications`.execute(db);
      await sql`alter table case_events enable trigger case_events_no_update`.execute(db);
    }
    console.log(`\nseeding ${CASES} cases with the domain rules (seed ${SEED})`);
    const seeded = await seed(db, time, now);
    console.log(
      `  ${seeded.cases} cases, ${seeded.events} events (${(seeded.events / seeded.cases).toFixed(1)} per case) in ${seeded.seconds.toFixed(1)} s`,
    );
    console.log(
      `  scenarios: ${[...seeded.byScenario]
        .sort((a, b) => b[1] - a[1])
        .map(([s, n]) => `${s} ${n}`)
        .join(', ')}`,
    );
    // The event store as production has it: vacuumed and analysed by autovacuum.
    await sql`vacuum (analyze) case_events`.execute(db);
  }
}
