import { sql } from 'kysely';
import type { CaseEvent } from '../../domain/events';
import type { Db, DbOrTrx } from '../index';
import {
  appendFollowingIn,
  lockCases,
  prepareAppend,
  runPreparedAppend,
  type LockedCase,
  type PreparedWrite,
  type WebhookDelivery,
} from './case-projection';

/**
 * Timer events decided ahead of their deadline (issue 14, "timers that absorb a midnight"). Every
 * limit ends at 24:00, so a day's deadlines fall due together; each case decides what its deadline
 * will do shortly before, and leaves that batch here. At the boundary the sweeper records every
 * batch due in bulk, in a few transactions, instead of thousands of workflows each taking its turn.
 *
 * A held batch ends exactly one way: recorded (by the sweeper, or by its case once due), or
 * withdrawn by its case before it was recorded (an act arrived first; the case decides the act and
 * then its timers again). The row's lock arbitrates: whoever takes it first decides the outcome, and
 * every later settlement reads that outcome.
 */
export interface HeldBatch {
  /** The case workflow's id for this hold (unique across the case's runs). */
  id: string;
  caseNo: string;
  dueAt: number;
  events: readonly CaseEvent[];
}

export interface Settlement {
  recorded: boolean;
  /** The webhook deliveries its recording called for (for the case to start). */
  webhooks: WebhookDelivery[];
}

/** The held batches due now, earliest first. */
const dueHeld = (db: DbOrTrx) =>
  db
    .selectFrom('held_batches')
    .where('state', '=', 'held')
    .where('due_at', '<=', sql<Date>`now()`)
    .orderBy('due_at');

/**
 * Leaves a batch to be recorded at its due time, its write compiled now (so the sweeper has only
 * to run it); a retried hold (same id) changes nothing.
 */
export async function holdBatch(db: DbOrTrx, batch: HeldBatch): Promise<void> {
  const prepared = await prepareAppend(db, batch.caseNo, batch.events);
  await db
    .insertInto('held_batches')
    .values({
      id: batch.id,
      case_no: batch.caseNo,
      first_seq: batch.events[0]!.seq,
      due_at: new Date(batch.dueAt),
      events: JSON.stringify(batch.events),
      prepared: prepared ? JSON.stringify(prepared) : null,
    })
    .onConflict((oc) => oc.column('id').doNothing())
    .execute();
}

/**
 * Records up to `limit` held batches that are due, earliest first, in one transaction; batches a
 * case (or another sweeper) is settling just now are skipped, not waited for. Returns how many.
 */
export async function recordDueBatches(db: Db, limit: number): Promise<number> {
  return db.transaction().execute(async (trx) => {
    const due = await dueHeld(trx)
      .select(['id', 'case_no', 'events', 'prepared'])
      .limit(limit)
      .forUpdate()
      .skipLocked()
      .execute();
    if (!due.length) return 0;
    // Every case of the chunk read and locked in one statement; each then takes its batch in one more.
    const cases = await lockCases(trx, [...new Set(due.map((r) => r.case_no))]);
    const seen = new Set<string>();
    // All appends issued at once: the transaction's connection runs them one after another while
    // the next ones are being built here. A case with a second batch (never held at once, but)
    // takes it only after its first, reading its row afresh.
    const appends = due.map((row) => {
      const first = !seen.has(row.case_no);
      seen.add(row.case_no);
      return first ? recordIn(trx, row, cases.get(row.case_no)) : null;
    });
    const firsts = await Promise.all(appends);
    const webhooks: (string | null)[] = [];
    for (const [i, row] of due.entries()) {
      const recorded = firsts[i] !== null ? firsts[i] : await appendFollowingIn(trx, row.case_no, eventsOf(row));
      webhooks.push(recorded ? JSON.stringify(recorded) : null);
    }
    // A batch its case moved on from (events appended since it was decided) is withdrawn, not recorded.
    await sql`update held_batches h
      set state = case when v.webhooks is null then 'withdrawn' else 'recorded' end, settled_at = now(), webhooks = v.webhooks
      from unnest(${due.map((r) => r.id)}::text[], ${webhooks}::jsonb[]) as v(id, webhooks)
      where h.id = v.id`.execute(trx);
    return due.length;
  });
}

/** Records one due held batch on its own (what the sweeper falls back to when a batch of them fails). */
export async function recordDueBatch(db: Db, id: string): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    const row = await dueHeld(trx)
      .select(['id', 'case_no', 'events'])
      .where('id', '=', id)
      .forUpdate()
      .skipLocked()
      .executeTakeFirst();
    if (!row) return false;
    await settleRecorded(trx, id, await appendFollowingIn(trx, row.case_no, eventsOf(row)));
    return true;
  });
}

/** The ids of the held batches due now (earliest first). */
export async function dueBatchIds(db: DbOrTrx, limit: number): Promise<string[]> {
  const rows = await dueHeld(db).select('id').limit(limit).execute();
  return rows.map((r) => r.id);
}

/** When the earliest held batch falls due (epoch ms), if any is held. */
export async function nextHeldDue(db: DbOrTrx): Promise<number | undefined> {
  const row = await db
    .selectFrom('held_batches')
    .select((eb) => eb.fn.min('due_at').as('due'))
    .where('state', '=', 'held')
    .executeTakeFirst();
  return row?.due ? new Date(row.due as Date).getTime() : undefined;
}

/**
 * The case settles its held batch. `withdraw` (before its deadline, an act to decide first): it is
 * withdrawn unless already recorded. `record` (due): it is recorded now unless it already was. Either
 * way the answer is the outcome, the same for every retry.
 */
export async function settleHeldBatch(db: Db, id: string, mode: 'withdraw' | 'record'): Promise<Settlement> {
  return db.transaction().execute(async (trx) => {
    if (mode === 'withdraw') {
      const withdrawn = await trx
        .updateTable('held_batches')
        .set({ state: 'withdrawn', settled_at: sql<Date>`now()` })
        .where('id', '=', id)
        .where('state', '=', 'held')
        .returning('id')
        .executeTakeFirst();
      if (withdrawn) return { recorded: false, webhooks: [] };
    }
    const row = await trx
      .selectFrom('held_batches')
      .select(['case_no', 'events', 'state', 'webhooks'])
      .where('id', '=', id)
      .forUpdate()
      .executeTakeFirst();
    if (!row) throw new Error(`held batch ${id} is unknown`);
    if (row.state === 'withdrawn') return { recorded: false, webhooks: [] };
    if (row.state === 'recorded') return { recorded: true, webhooks: (row.webhooks as WebhookDelivery[] | null) ?? [] };
    const webhooks = await appendFollowingIn(trx, row.case_no, eventsOf(row));
    await settleRecorded(trx, id, webhooks);
    return webhooks ? { recorded: true, webhooks } : { recorded: false, webhooks: [] };
  });
}

/** Settled batches older than `ms` are cleared (their outcome is in the event store, or was nothing). */
export async function clearSettledBatches(db: DbOrTrx, ms: number): Promise<number> {
  const r = await db
    .deleteFrom('held_batches')
    .where('state', '<>', 'held')
    .where('settled_at', '<', new Date(Date.now() - ms))
    .executeTakeFirst();
  return Number(r.numDeletedRows);
}

/** Marks a batch recorded with its webhooks, or withdrawn when its case had moved on (`undefined`: nothing written). */
async function settleRecorded(trx: DbOrTrx, id: string, webhooks: WebhookDelivery[] | undefined): Promise<void> {
  await trx
    .updateTable('held_batches')
    .set(
      webhooks
        ? { state: 'recorded', settled_at: sql<Date>`now()`, webhooks: JSON.stringify(webhooks) }
        : { state: 'withdrawn', settled_at: sql<Date>`now()` },
    )
    .where('id', '=', id)
    .execute();
}

const eventsOf = (row: { events: unknown }) => row.events as CaseEvent[];

/** A held batch's write: as prepared when held, if the case is still where it was then; built afresh otherwise. */
async function recordIn(
  trx: DbOrTrx,
  row: { case_no: string; events: unknown; prepared: unknown },
  locked: LockedCase | undefined,
): Promise<WebhookDelivery[] | undefined> {
  const prepared = row.prepared as PreparedWrite | null;
  return (
    (prepared && (await runPreparedAppend(trx, locked, prepared))) ??
    appendFollowingIn(trx, row.case_no, eventsOf(row), locked)
  );
}
