import { type Kysely, sql } from 'kysely';

/**
 * Query codes no longer kept in plain text (issue 15): case_requests keeps a keyed, salted hash
 * (`query_code_hash`), a sealed copy for a day's replays to the submitting window
 * (`query_code_sealed`; the key's scope says who submitted). Plain codes of existing rows are hashed by the API at
 * start (it holds the key; see upgradeLegacyQueryCodes), then erased. The projection stops
 * carrying the old unsalted SHA-256 (`cases.query_code_hash`, and inside `cases.state`).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    alter table case_requests
      alter column query_code drop not null,
      add column query_code_hash text,
      add column query_code_sealed text`.execute(db);
  await sql`alter table cases alter column query_code_hash drop not null`.execute(db);
  await sql`update cases set query_code_hash = null, state = state - 'queryCodeHash'`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`
    alter table case_requests
      drop column query_code_hash,
      drop column query_code_sealed`.execute(db);
}
