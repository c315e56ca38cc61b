import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('departments')
    .addColumn('code', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('webhook_url', 'text')
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  await db.schema
    .createTable('matters')
    .addColumn('code', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('lead_dept', 'text', (c) => c.notNull())
    .addColumn('definition', 'jsonb', (c) => c.notNull())
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  await db.schema
    .createTable('calendar_years')
    .addColumn('year', 'integer', (c) => c.primaryKey())
    .addColumn('holidays', 'jsonb', (c) => c.notNull())
    .addColumn('workdays', 'jsonb', (c) => c.notNull())
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  await db.schema
    .createTable('calendar_versions')
    .addColumn('version', 'text', (c) => c.primaryKey())
    .addColumn('years', 'jsonb', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  await sql`create sequence case_no_seq`.execute(db);
  await db.schema
    .createTable('case_requests')
    .addColumn('idempotency_key', 'text', (c) => c.primaryKey())
    .addColumn('case_no', 'text', (c) => c.notNull().unique())
    .addColumn('query_code', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  await db.schema
    .createTable('case_events')
    .addColumn('case_no', 'text', (c) => c.notNull())
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('data', 'jsonb', (c) => c.notNull())
    .addColumn('actor_sub', 'text', (c) => c.notNull())
    .addColumn('actor_role', 'text', (c) => c.notNull())
    .addColumn('actor_dept', 'text')
    .addColumn('occurred_at', 'timestamptz', (c) => c.notNull())
    .addColumn('recorded_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('case_events_pk', ['case_no', 'seq'])
    .execute();
  // Append-only: the audit trail cannot be edited, even by a buggy repository function.
  await sql`
    create function case_events_append_only() returns trigger language plpgsql as $$
    begin raise exception 'case_events is append-only'; end $$`.execute(db);
  await sql`
    create trigger case_events_no_update before update or delete on case_events
    for each row execute function case_events_append_only()`.execute(db);

  await db.schema
    .createTable('cases')
    .addColumn('case_no', 'text', (c) => c.primaryKey())
    .addColumn('matter_code', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('priority', 'text', (c) => c.notNull())
    .addColumn('lead_dept', 'text', (c) => c.notNull())
    .addColumn('applicant_name', 'text', (c) => c.notNull())
    .addColumn('query_code_hash', 'text', (c) => c.notNull())
    .addColumn('submitted_at', 'timestamptz', (c) => c.notNull())
    .addColumn('accepted_at', 'timestamptz')
    .addColumn('deadline', 'timestamptz')
    .addColumn('statutory_deadline', 'timestamptz')
    .addColumn('alert', 'text', (c) => c.notNull())
    .addColumn('last_seq', 'integer', (c) => c.notNull())
    .addColumn('last_progress_at', 'timestamptz', (c) => c.notNull())
    .addColumn('decided_at', 'timestamptz')
    .addColumn('completed_at', 'timestamptz')
    .addColumn('state', 'jsonb', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('cases_status_idx').on('cases').columns(['status', 'case_no']).execute();
  await db.schema.createIndex('cases_lead_idx').on('cases').columns(['lead_dept', 'case_no']).execute();

  await db.schema
    .createTable('case_tasks')
    .addColumn('case_no', 'text', (c) => c.notNull())
    .addColumn('dept', 'text', (c) => c.notNull())
    .addColumn('round', 'integer', (c) => c.notNull())
    .addColumn('role', 'text', (c) => c.notNull())
    .addColumn('matter_code', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('verdict', 'text')
    .addColumn('assigned_at', 'timestamptz', (c) => c.notNull())
    .addColumn('due_at', 'timestamptz', (c) => c.notNull())
    .addColumn('alert', 'text', (c) => c.notNull())
    .addColumn('given_at', 'timestamptz')
    .addColumn('late_working_days', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('working_days_to_opinion', 'integer')
    .addColumn('deemed', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('urged', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('open', 'boolean', (c) => c.notNull())
    .addPrimaryKeyConstraint('case_tasks_pk', ['case_no', 'dept', 'round'])
    .execute();
  await db.schema.createIndex('case_tasks_dept_idx').on('case_tasks').columns(['dept', 'assigned_at']).execute();

  await db.schema
    .createTable('case_fees')
    .addColumn('case_no', 'text', (c) => c.notNull())
    .addColumn('dept', 'text', (c) => c.notNull())
    .addColumn('item', 'text', (c) => c.notNull())
    .addColumn('amount_cents', 'bigint', (c) => c.notNull())
    .addColumn('paid_at', 'timestamptz')
    .addPrimaryKeyConstraint('case_fees_pk', ['case_no', 'dept', 'item'])
    .execute();

  await db.schema
    .createTable('notifications')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('dept', 'text', (c) => c.notNull())
    .addColumn('case_no', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('payload', 'jsonb', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('delivered_at', 'timestamptz')
    .execute();
  await db.schema.createIndex('notifications_dept_idx').on('notifications').columns(['dept', 'created_at']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of [
    'notifications',
    'case_fees',
    'case_tasks',
    'cases',
    'case_events',
    'case_requests',
    'calendar_versions',
    'calendar_years',
    'matters',
    'departments',
  ]) {
    await db.schema.dropTable(table).ifExists().execute();
  }
  await sql`drop sequence if exists case_no_seq`.execute(db);
  await sql`drop function if exists case_events_append_only`.execute(db);
}
