import { type Kysely, sql } from 'kysely';

/**
 * The Update (the API's receipt id) whose command decided an event; null for timer and system
 * events and for events recorded before. A case appending by local activity (patch
 * l14-local-append) learns from it which Updates a lost workflow task had already recorded.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table case_events add column update_id text`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`alter table case_events drop column update_id`.execute(db);
}
