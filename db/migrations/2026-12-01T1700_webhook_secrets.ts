import { type Kysely, sql } from 'kysely';

/**
 * Each department's webhook signing secret (issue 15), made when it first gets a webhook URL (or
 * at its first delivery, for URLs set before this migration). Only administrators read it.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table departments add column webhook_secret text`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`alter table departments drop column webhook_secret`.execute(db);
}
