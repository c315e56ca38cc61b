import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../db';
import { caseEvents } from '../../db/repositories/case-events';
import { appendAndProject } from '../../db/repositories/case-projection';
import type { Database } from '../../db/schema';
import type { CaseEvent } from '../../domain/events';
import { caseFactory } from '../support/cases';
import { seedMatter } from '../support/http';
import { startSystem, unique, type TestSystem } from '../support/system';

/**
 * The projection writes each event batch in four statements (BEGIN, the locked read, one write of
 * every table, COMMIT), whatever the batch holds — notices, figures, tasks — and the same rows as
 * the live system wrote. Counted at the pg client, the way the engine benchmark counts them.
 */
describe('event batches cost four statements', () => {
  let sys: TestSystem;
  let counted: Db;
  let pool: pg.Pool;
  let statements = 0;

  beforeAll(async () => {
    sys = await startSystem();
    pool = new pg.Pool({ connectionString: sys.config.databaseUrl, max: 1 });
    pool.on('connect', (client) => {
      const query = client.query.bind(client) as (...args: unknown[]) => unknown;
      (client as { query: unknown }).query = (...args: unknown[]) => {
        statements++;
        return query(...args);
      };
    });
    counted = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  });
  afterAll(async () => {
    await counted?.destroy();
    await sys?.stop();
  });

  it('re-projects a whole case batch by batch in four statements each, to the same rows', async () => {
    const m = await seedMatter(sys, unique('Q'));
    const { caseNo } = await caseFactory(sys, m).make('completed');
    const batches = await recordedBatches(sys.db, caseNo);
    expect(batches.length).toBeGreaterThanOrEqual(5); // submission, opinions, decision with the payment notice, payment
    const copy = unique('JA-COPY-');
    for (const batch of batches) {
      const before = statements;
      await appendAndProject(
        counted,
        copy,
        batch.map((e) => ({ ...e, caseNo: copy })),
      );
      expect(statements - before, batch.map((e) => e.type).join(',')).toBe(4);
    }
    // A retried batch without notices is read and left alone: BEGIN, read, COMMIT.
    const before = statements;
    await appendAndProject(
      counted,
      copy,
      batches[batches.length - 1]!.map((e) => ({ ...e, caseNo: copy })),
    );
    expect(statements - before).toBe(3);
    // A retried batch with notices also reads them (its webhook deliveries are answered again): 4.
    const again = statements;
    await appendAndProject(
      counted,
      copy,
      batches[0]!.map((e) => ({ ...e, caseNo: copy })),
    );
    expect(statements - again).toBe(4);

    const row = async (no: string) =>
      sql<Record<string, unknown>>`
        select c.status, c.alert, c.last_seq, c.deadline, c.decided_at, c.completed_at,
          (select json_agg(json_build_object('dept', dept, 'round', round, 'status', status, 'verdict', verdict,
             'open', open, 'late', late_working_days) order by dept, round) from case_tasks t where t.case_no = c.case_no) as tasks,
          (select json_agg(json_build_object('dept', dept, 'item', item, 'cents', amount_cents, 'paid', paid_at is not null)
             order by dept, item) from case_fees f where f.case_no = c.case_no) as fees,
          (select count(*)::int from notifications n where n.case_no = c.case_no) as notices
        from cases c where case_no = ${no}`
        .execute(sys.db)
        .then((r) => r.rows[0]);
    const original = await row(caseNo);
    expect(original).toMatchObject({ status: 'completed' });
    expect(await row(copy)).toEqual(original);
  });
});

/** A case's events as the live system appended them, one batch per transaction (one recorded_at each). */
async function recordedBatches(db: Db, caseNo: string): Promise<CaseEvent[][]> {
  const events = await caseEvents(db, caseNo);
  const stamps = await sql<{ seq: number; recorded: number }>`
    select seq, extract(epoch from recorded_at)::float8 as recorded from case_events where case_no = ${caseNo}`.execute(
    db,
  );
  const batchOf = new Map(stamps.rows.map((s) => [s.seq, s.recorded]));
  const batches = new Map<number, CaseEvent[]>();
  for (const e of events) {
    const key = batchOf.get(e.seq)!;
    if (!batches.has(key)) batches.set(key, []);
    batches.get(key)!.push(e);
  }
  return [...batches.values()];
}
