import { type Kysely, sql } from 'kysely';

/**
 * A held batch's write compiled when it is held (case-projection.ts prepareAppend): at the
 * boundary the sweeper only runs it, so thousands of deadlines are written in a second or two.
 * Null when it could not be prepared; the sweeper then builds the write itself.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table held_batches add column prepared jsonb`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`alter table held_batches drop column prepared`.execute(db);
}
