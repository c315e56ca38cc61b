import { type Kysely, sql } from 'kysely';

/**
 * Acts count from their receipt (domain.md, "Acts, receipts and outages"; api.md, "Retries and
 * outages").
 *
 * - `case_events.received_at` / `effective_at`: when the API received a command's act, and when a
 *   timer-driven event's rule took effect, beside `occurred_at` (when it was applied).
 * - `command_receipts`: every command durably received before it is sent to its case, keyed by the
 *   caller (role, department, staff id) and its `Idempotency-Key`; it keeps the request's
 *   fingerprint (the same key with another body is refused) and, once known, the answer, which a
 *   retry with the same key replays. A receipt not yet answered (Temporal unreachable, the API
 *   killed) is applied later by the API's receipt applier with its original receipt time.
 * - `case_requests.scope`: submission keys are the caller's own; another window reusing a key
 *   gets a case of its own, never the first one's number and query code.
 * - `case_number_counter`: case numbers come from a row updated in the transaction that takes the
 *   number, so a rolled-back or repeated submission leaves no gap in the register (a sequence
 *   would).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table case_events add column received_at timestamptz, add column effective_at timestamptz`.execute(
    db,
  );

  await sql`
    create table command_receipts (
      id text primary key,
      scope text not null,
      key text not null,
      route text not null,
      fingerprint text not null,
      case_no text,
      payload jsonb not null,
      received_at timestamptz not null,
      state text not null default 'received' check (state in ('received', 'answered')),
      response_status integer,
      response_body jsonb,
      answered_at timestamptz,
      attempts integer not null default 0,
      attempted_at timestamptz,
      unique (scope, key)
    )`.execute(db);
  await sql`create index command_receipts_pending_idx on command_receipts (received_at) where state = 'received'`.execute(
    db,
  );
  await sql`create index command_receipts_received_idx on command_receipts (received_at)`.execute(db);

  await sql`alter table case_requests add column scope text not null default ''`.execute(db);
  await sql`alter table case_requests drop constraint case_requests_pkey`.execute(db);
  await sql`alter table case_requests add primary key (scope, idempotency_key)`.execute(db);

  await sql`create table case_number_counter (id integer primary key check (id = 1), last bigint not null)`.execute(db);
  await sql`
    insert into case_number_counter (id, last)
    select 1, case when is_called then last_value else 0 end from case_no_seq`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop table if exists case_number_counter`.execute(db);
  await sql`alter table case_requests drop constraint case_requests_pkey`.execute(db);
  await sql`alter table case_requests drop column scope`.execute(db);
  await sql`alter table case_requests add primary key (idempotency_key)`.execute(db);
  await sql`drop table if exists command_receipts`.execute(db);
  await sql`alter table case_events drop column received_at, drop column effective_at`.execute(db);
}
