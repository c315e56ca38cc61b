import { Kysely, PostgresDialect, type Transaction } from 'kysely';
import pg from 'pg';
import type { Database } from './schema';

export type Db = Kysely<Database>;
/** Repository functions take either the database or a transaction. */
export type DbOrTrx = Kysely<Database> | Transaction<Database>;

// BIGINT/COUNT come back as strings by default; our counts fit in a JS number.
pg.types.setTypeParser(20, (v) => Number.parseInt(v, 10));

export function createDb(databaseUrl: string, max = 10): Db {
  // A bounded wait for a connection: with PostgreSQL down, requests fail fast (503) instead of hanging.
  const pool = new pg.Pool({ connectionString: databaseUrl, max, connectionTimeoutMillis: 5_000 });
  // An idle connection dropped by the server (restart, failover) is discarded by the pool; without
  // a listener node would treat the event as fatal and take the process down.
  pool.on('error', (err) => console.error(`postgres: idle connection lost: ${err.message}`));
  // A connection lost while checked out (between the statements of a transaction, say) emits
  // 'error' on its client; unheard, that would crash the process when PostgreSQL restarts. The
  // statement in flight fails on its own (503), and the pool discards the client.
  pool.on('connect', (client) =>
    client.on('error', (err) => console.error(`postgres: connection lost: ${err.message}`)),
  );
  return new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
}

export async function pingDb(db: Db): Promise<void> {
  await db.selectNoFrom((eb) => eb.val(1).as('ok')).execute();
}
