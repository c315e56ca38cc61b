import { type Kysely, sql } from 'kysely';

/**
 * What the console needs beyond the case projections (issue 11):
 * - saved_views: named filters a person keeps for a screen (the case list, the supervision dashboard);
 * - stream_tickets: one-time tickets that open a Server-Sent Events stream (EventSource cannot send an
 *   Authorization header, and a bearer token in a URL would end up in access logs). Kept in the
 *   database so any API process can redeem a ticket another one issued; only a hash is stored;
 * - department_deliveries: each department's last webhook delivery attempt, so that an administrator
 *   sees whose deliveries are failing.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('saved_views')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('owner_sub', 'text', (c) => c.notNull())
    .addColumn('screen', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('filters', 'jsonb', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint('saved_views_owner_screen_name_key', ['owner_sub', 'screen', 'name'])
    .execute();

  await db.schema
    .createTable('stream_tickets')
    .addColumn('ticket_hash', 'text', (c) => c.primaryKey())
    .addColumn('actor', 'jsonb', (c) => c.notNull())
    .addColumn('topics', 'jsonb', (c) => c.notNull())
    .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
    .addColumn('stream_until', 'timestamptz', (c) => c.notNull())
    .addColumn('used_at', 'timestamptz')
    .execute();
  await db.schema.createIndex('stream_tickets_expiry_idx').on('stream_tickets').column('expires_at').execute();

  await db.schema
    .createTable('department_deliveries')
    .addColumn('dept', 'text', (c) => c.primaryKey())
    .addColumn('last_attempt_at', 'timestamptz', (c) => c.notNull())
    .addColumn('last_success_at', 'timestamptz')
    .addColumn('last_failure_at', 'timestamptz')
    .addColumn('last_error', 'text')
    .addColumn('failing_since', 'timestamptz')
    .addColumn('consecutive_failures', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['department_deliveries', 'stream_tickets', 'saved_views'])
    await db.schema.dropTable(table).ifExists().execute();
}
