import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import { pingDb, type Db } from '../../db'; // (also sets the BIGINT parser the application uses)
import { migrateToLatest } from '../../db/migrator';
import type { Database } from '../../db/schema';
import { startEmbeddedPostgres } from '../infra/postgres';
import { freePort } from '../infra/free-port';
import { Capture, loadavg } from './measure';

export type Cleanups = (() => Promise<void> | void)[];

/** Phase 1: a throw-away embedded PostgreSQL (or BENCH_DATABASE_URL), migrated; its SQL captured. */
export async function openBenchDatabase(cleanups: Cleanups): Promise<{ db: Db; pool: pg.Pool; capture: Capture }> {
  let url = process.env.BENCH_DATABASE_URL;
  if (!url) {
    const tmp = mkdtempSync(path.join(os.tmpdir(), 'ja-bench-'));
    chmodSync(tmp, 0o755); // the embedded server runs as the unprivileged postgres user
    cleanups.push(() => rmSync(tmp, { recursive: true, force: true }));
    const server = await startEmbeddedPostgres({
      dataDir: path.join(tmp, 'pg'),
      port: await freePort(),
      database: 'joint_approval_bench',
      persistent: false,
    });
    cleanups.push(() => server.stop());
    url = server.url;
  }
  const capture = new Capture();
  const pool = new pg.Pool({ connectionString: url, max: 4 });
  // A connection the server closes at the end must not crash the run after its figures are out.
  pool.on('error', (err) => console.error('postgres connection closed:', err.message));
  const db: Db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }), log: capture.log });
  cleanups.push(() => db.destroy());
  await pingDb(db);
  await migrateToLatest(db);
  return { db, pool, capture };
}

/** The machine and the server's settings, so figures from two runs can be compared honestly. */
export async function describeMachine(db: Db): Promise<void> {
  const version = (await sql<{ v: string }>`select version() as v`.execute(db)).rows[0]!.v;
  const settings = (
    await sql<{ name: string; setting: string; unit: string | null }>`
      select name, setting, unit from pg_settings
      where name in ('shared_buffers', 'work_mem', 'effective_cache_size', 'max_parallel_workers_per_gather', 'random_page_cost', 'jit', 'default_toast_compression', 'max_wal_size', 'synchronous_commit')
      order by name`.execute(db)
  ).rows;
  console.log('machine');
  console.log(
    `  ${os.cpus().length} × ${os.cpus()[0]?.model ?? '?'}, ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB RAM, ${os.type()} ${os.release()}, Node ${process.version}; load average ${loadavg()}`,
  );
  console.log(`  ${version}`);
  console.log(`  ${settings.map((s) => `${s.name}=${s.setting}${s.unit ?? ''}`).join(', ')}`);
}
