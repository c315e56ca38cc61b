import { type Kysely, sql } from 'kysely';

/**
 * Timer events decided ahead of their boundary (issue 14): a case's workflow decides what its next
 * deadline will do shortly before it falls due and leaves the batch here; the worker's sweeper records
 * every batch due at a boundary at once, in bulk, and the case settles its own later. A batch is
 * recorded exactly once, or withdrawn (an act arrived before its deadline) and never recorded.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`create table held_batches (
    id text primary key,
    case_no text not null,
    first_seq integer not null,
    due_at timestamptz not null,
    events jsonb not null,
    state text not null default 'held' check (state in ('held', 'recorded', 'withdrawn')),
    webhooks jsonb,
    held_at timestamptz not null default now(),
    settled_at timestamptz
  )`.execute(db);
  // The sweeper's one question: which held batches are due now, earliest first.
  await sql`create index held_batches_due on held_batches (due_at) where state = 'held'`.execute(db);
  // Settled rows are kept a while (a retried settlement reads its outcome), then cleared by age.
  await sql`create index held_batches_settled on held_batches (settled_at) where state <> 'held'`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop table held_batches`.execute(db);
}
