import { type Kysely, sql } from 'kysely';

/**
 * The acting person's name (the token's `name` claim) beside their id, so the audit trail and the
 * console's timeline say who acted in words ("消防救援支队 张三 提出意见"). Null for events recorded
 * before this column, and for timer-driven events (the system acts).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table case_events add column actor_name text`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`alter table case_events drop column actor_name`.execute(db);
}
