import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { createDb } from '../db';
import { migrateToLatest } from '../db/migrator';
import { loadConfig } from '../config';
import { buildWeb } from './build-web';
import { startEmbeddedPostgres, type RunningPostgres } from './infra/postgres';
import { startTemporalDevServer, waitForPort, type RunningTemporal } from './infra/temporal-server';

/**
 * `npm start`: the whole system on embedded defaults — a real PostgreSQL and the Temporal dev
 * server with file databases under .data/, migrations, the worker and the API.
 * DATABASE_URL / TEMPORAL_ADDRESS set → those servers are used instead.
 */
const ROOT = path.resolve(__dirname, '..');
const DATA = path.join(ROOT, '.data');
const log = (m: string) => console.log(`[start] ${m}`);
/** Ports of the embedded servers; override them to run a second system beside one on the defaults. */
const envPort = (name: string, fallback: number) => Number(process.env[name] || fallback);
const PG_PORT = envPort('EMBEDDED_POSTGRES_PORT', 55432);
const TEMPORAL_PORT = envPort('TEMPORAL_PORT', 7233);
const TEMPORAL_UI_PORT = envPort('TEMPORAL_UI_PORT', 8233);

async function main(): Promise<void> {
  const stops: (() => Promise<void>)[] = [];
  const children: ChildProcess[] = [];
  let stopping = false;
  const shutdown = async (code: number) => {
    if (stopping) return;
    stopping = true;
    log('stopping…');
    for (const child of children) child.kill('SIGTERM');
    await Promise.all(children.map((c) => new Promise((r) => (c.exitCode !== null ? r(null) : c.once('exit', r)))));
    for (const stop of stops.reverse()) await stop().catch(() => undefined);
    process.exit(code);
  };
  process.once('SIGINT', () => void shutdown(0));
  process.once('SIGTERM', () => void shutdown(0));

  let databaseUrl = process.env.DATABASE_URL;
  if (!databaseUrl) {
    log(`starting the embedded PostgreSQL (.data/postgres, port ${PG_PORT})`);
    const pg: RunningPostgres = await startEmbeddedPostgres({
      dataDir: path.join(DATA, 'postgres'),
      port: PG_PORT,
      database: 'joint_approval',
      persistent: true,
      log,
    });
    stops.push(pg.stop);
    databaseUrl = pg.url;
  }
  const db = createDb(databaseUrl, 1);
  const applied = await migrateToLatest(db);
  await db.destroy();
  log(applied.length ? `migrations applied: ${applied.join(', ')}` : 'database schema up to date');

  let temporalAddress = process.env.TEMPORAL_ADDRESS;
  let uiUrl: string | undefined;
  if (!temporalAddress) {
    const temporal: RunningTemporal = await startTemporalDevServer({
      dataDir: DATA,
      port: TEMPORAL_PORT,
      uiPort: TEMPORAL_UI_PORT,
      log,
    });
    stops.push(temporal.stop);
    temporalAddress = temporal.address;
    uiUrl = temporal.uiUrl;
    log(`Temporal dev server: ${temporal.how}`);
  }

  // The console's dev sign-in is on for npm start unless said otherwise (config refuses it in production).
  const devLogin = process.env.DEV_LOGIN ?? (process.env.NODE_ENV === 'production' ? '0' : '1');
  const config = loadConfig({
    ...process.env,
    DATABASE_URL: databaseUrl,
    TEMPORAL_ADDRESS: temporalAddress,
    DEV_LOGIN: devLogin,
  });
  buildWeb({ log });
  const env = {
    ...process.env,
    DEV_LOGIN: devLogin,
    DATABASE_URL: databaseUrl,
    TEMPORAL_ADDRESS: temporalAddress,
    ...(config.demoEpochMs ? { DEMO_EPOCH_MS: String(config.demoEpochMs) } : {}),
  };
  const tsx = path.join(ROOT, 'node_modules', '.bin', 'tsx');
  for (const entry of ['worker/main.ts', 'api/main.ts']) {
    const child = spawn(tsx, [path.join(ROOT, entry)], { env, stdio: 'inherit' });
    child.once('exit', (code) => {
      if (!stopping) {
        log(`${entry} exited with ${code}; stopping everything`);
        void shutdown(1);
      }
    });
    children.push(child);
  }
  await waitForPort('127.0.0.1', config.port, 120_000);
  const base = `http://localhost:${config.port}`;
  log('the joint-approval system is up:');
  log(
    `  Console       ${base}/   (${config.devLogin ? 'dev sign-in: pick role, department, name' : 'sign in with a token'})`,
  );
  log(`  API           ${base}   (health: ${base}/health)`);
  log(`  API docs      ${base}/docs   (OpenAPI: ${base}/openapi.json)`);
  if (uiUrl) log(`  Temporal UI   ${uiUrl}`);
  log(`  Temporal      ${temporalAddress}`);
  log(`  a token:      npm run token -- --role admin --sub admin1`);
  if (config.demoDaySeconds) log(`  demo clock:   one working day = ${config.demoDaySeconds} s`);
  log('Ctrl-C stops it all; data stays in .data/');
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
