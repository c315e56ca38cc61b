import { execFile } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { createDb } from '../../db';
import { migrateToLatest } from '../../db/migrator';
import { ManagedProcess } from './process';
import { applyInitSql, startEmbeddedPostgres, type RunningPostgres } from './postgres';
import { ensureTemporalServerTools, ensureTemporalUiServer } from './temporal-binaries';
import { ensureTemporalCli } from './temporal-cli';
import { waitForPort } from './temporal-server';

/**
 * The production shape on one machine, without Docker: the embedded PostgreSQL holding the system's,
 * Temporal's and Temporal visibility's databases; the Temporal server built from Go with the repo's
 * server configuration (deploy/temporal/), its schemas set up by the same scripts docker-compose
 * runs; N workers and N API instances on consecutive ports, each its own OS process.
 */
const ROOT = path.resolve(__dirname, '..', '..');
const DEPLOY = path.join(ROOT, 'deploy');
const run = promisify(execFile);

export interface ClusterPorts {
  postgres: number;
  /** Temporal frontend gRPC; the server's other ports follow it (deploy/temporal/config/joint-approval.yaml). */
  temporal: number;
  temporalMetrics: number;
  ui: number;
  /** The first API instance; the others on the ports after it. */
  api: number;
  /** The first worker's Prometheus endpoint; the others on the ports after it. */
  workerMetrics: number;
}

/** `npm run cluster`'s ports: clear of `npm start`'s 3000 / 55432 / 7233 / 8233. */
export const CLUSTER_PORTS: ClusterPorts = {
  postgres: 55532,
  temporal: 7333,
  temporalMetrics: 7390,
  ui: 8333,
  api: 3100,
  workerMetrics: 3110,
};

/** Every port the Temporal server takes for a given frontend port (see the server config). */
const temporalPorts = (base: number) => [0, 1, 2, 6, 10, 3000, 3001, 3002, 3006].map((d) => base + d);

async function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/** A free set of ports for a throw-away cluster (tests), consecutive runs where the layout needs them. */
export async function freeClusterPorts(instances = 2): Promise<ClusterPorts> {
  for (let attempt = 0; attempt < 50; attempt++) {
    // Membership ports (base + 3000..) are stored as a PostgreSQL smallint: keep them under 32768.
    const base = 20_000 + Math.floor(Math.random() * 9_000);
    const ports: ClusterPorts = {
      postgres: base + 100,
      temporal: base,
      temporalMetrics: base + 101,
      ui: base + 102,
      api: base + 110,
      workerMetrics: base + 120,
    };
    const all = [
      ports.postgres,
      ports.temporalMetrics,
      ports.ui,
      ...temporalPorts(base),
      ...Array.from({ length: instances }, (_, i) => [ports.api + i, ports.workerMetrics + i]).flat(),
    ];
    if ((await Promise.all(all.map(portFree))).every(Boolean)) return ports;
  }
  throw new Error('no free block of ports found for the cluster');
}

export interface ClusterOptions {
  dataDir: string;
  ports?: ClusterPorts;
  workers?: number;
  apis?: number;
  /** History shards; fixed once the temporal database has data (see deploy/temporal/config/joint-approval.yaml). */
  historyShards?: number;
  /** Extra environment for the workers and API instances (DEMO_DAY_SECONDS, JWT_SECRET, ...). */
  env?: Record<string, string>;
  /** Start the Temporal UI server too, when it can be built. */
  ui?: boolean;
  log?: (msg: string) => void;
}

export interface ClusterPostgres {
  port: number;
  /** The system's database, as its own role. */
  databaseUrl: string;
  /** The superuser, for tests' look-ups. */
  adminUrl: string;
  start(): Promise<void>;
  stop(): Promise<void>;
}

export interface Cluster {
  ports: ClusterPorts;
  postgres: ClusterPostgres;
  temporalAddress: string;
  temporalMetricsUrl: string;
  temporal: ManagedProcess;
  workers: ManagedProcess[];
  workerMetricsUrls: string[];
  apis: ManagedProcess[];
  apiUrls: string[];
  ui?: { process: ManagedProcess; url: string };
  logDir: string;
  /** Databases and roles as deploy/postgres/init.sql creates them for docker-compose. */
  passwords: { temporal: string; app: string };
  stop(): Promise<void>;
}

/** Passwords of the two roles; the cluster listens on 127.0.0.1 only. Same defaults as docker-compose. */
const PASSWORDS = { temporal: 'temporal', app: 'joint_approval' };

export async function startCluster(opts: ClusterOptions): Promise<Cluster> {
  const log = opts.log ?? (() => undefined);
  const ports = opts.ports ?? CLUSTER_PORTS;
  const logDir = path.join(opts.dataDir, 'logs');
  mkdirSync(logDir, { recursive: true });
  const tools = ensureTemporalServerTools(log);
  const cli = ensureTemporalCli(log);
  if (!cli) throw new Error('the cluster needs the Temporal CLI (for create-namespace.sh); install Go');
  const uiBinary = opts.ui ? ensureTemporalUiServer(log) : undefined;
  const stops: (() => Promise<void>)[] = [];
  const stopAll = async () => {
    for (const stop of stops.splice(0).reverse()) await stop().catch((err) => log(`stopping: ${String(err)}`));
  };
  try {
    // --- PostgreSQL: one server, three databases, as docker-compose's postgres service has them.
    const postgres = await clusterPostgres(path.join(opts.dataDir, 'postgres'), ports.postgres, log);
    stops.push(() => postgres.stop());

    // --- Temporal: schema (setup + upgrade), server, namespace + search attributes.
    const temporalEnv = {
      ...process.env,
      POSTGRES_SEEDS: '127.0.0.1',
      DB_PORT: String(ports.postgres),
      POSTGRES_USER: 'temporal',
      POSTGRES_PWD: PASSWORDS.temporal,
      DBNAME: 'temporal',
      VISIBILITY_DBNAME: 'temporal_visibility',
      SQL_PLUGIN: 'postgres12',
      SCHEMA_DIR: tools.schemaDir,
      SKIP_DB_CREATE: 'true',
      PATH: `${tools.binDir}:${path.dirname(cli)}:${process.env.PATH ?? ''}`,
    };
    log('Temporal schema: deploy/temporal/setup-schema.sh (temporal-sql-tool setup-schema + update-schema)');
    await runScript('setup-schema.sh', temporalEnv, path.join(logDir, 'setup-schema.log'));

    const temporalAddress = `127.0.0.1:${ports.temporal}`;
    const temporal = new ManagedProcess('temporal-server', {
      command: 'sh',
      args: [path.join(DEPLOY, 'temporal', 'start-server.sh')],
      env: {
        ...temporalEnv,
        TEMPORAL_SERVER: tools.server,
        BIND_ON_IP: '127.0.0.1',
        TEMPORAL_PORT_BASE: String(ports.temporal),
        PROMETHEUS_ENDPOINT: `127.0.0.1:${ports.temporalMetrics}`,
        NUM_HISTORY_SHARDS: String(opts.historyShards ?? 512),
        DYNAMIC_CONFIG_FILE_PATH: path.join(DEPLOY, 'temporal', 'dynamicconfig.yaml'),
        LOG_LEVEL: process.env.TEMPORAL_LOG_LEVEL ?? 'warn',
      },
      logFile: path.join(logDir, 'temporal-server.log'),
      ready: () => waitForPort('127.0.0.1', ports.temporal, 120_000),
      onUnexpectedExit: (code, signal) => log(`temporal-server exited unexpectedly (${signal ?? code})`),
    });
    log(`Temporal server on ${temporalAddress} (deploy/temporal/start-server.sh, config/joint-approval.yaml)`);
    await temporal.start();
    stops.push(() => temporal.stop());
    log('Temporal namespace and search attributes: deploy/temporal/create-namespace.sh');
    await runScript(
      'create-namespace.sh',
      { ...temporalEnv, TEMPORAL_ADDRESS: temporalAddress, DEFAULT_NAMESPACE: 'default', NAMESPACE_RETENTION: '720h' },
      path.join(logDir, 'create-namespace.log'),
    );

    // --- The system: migrations once, then workers and API instances side by side.
    const db = createDb(postgres.databaseUrl, 1);
    try {
      const applied = await migrateToLatest(db);
      log(applied.length ? `migrations applied: ${applied.length}` : 'system schema up to date');
    } finally {
      await db.destroy();
    }
    const appEnv = (extra: Record<string, string>): NodeJS.ProcessEnv => ({
      ...process.env,
      DATABASE_URL: postgres.databaseUrl,
      TEMPORAL_ADDRESS: temporalAddress,
      HOST: '127.0.0.1',
      LOG_LEVEL: process.env.LOG_LEVEL ?? 'info',
      ...opts.env,
      ...extra,
    });
    // One OS process each (`node --import tsx`, no wrapper), so a signal reaches the worker itself.
    const entry = (file: string) => ['--import', 'tsx', path.join(ROOT, file)];
    const workers = Array.from(
      { length: opts.workers ?? 2 },
      (_, i) =>
        new ManagedProcess(`worker-${i + 1}`, {
          command: process.execPath,
          args: entry('worker/main.ts'),
          env: appEnv({ WORKER_METRICS_ADDRESS: `127.0.0.1:${ports.workerMetrics + i}` }),
          logFile: path.join(logDir, `worker-${i + 1}.log`),
          // The SDK reports its state itself, whatever LOG_LEVEL keeps of ours.
          ready: (output) => waitForOutput(output, "state: 'RUNNING'", 300_000),
          onUnexpectedExit: (code, signal) => log(`worker-${i + 1} exited unexpectedly (${signal ?? code})`),
        }),
    );
    const apis = Array.from(
      { length: opts.apis ?? 2 },
      (_, i) =>
        new ManagedProcess(`api-${i + 1}`, {
          command: process.execPath,
          args: entry('api/main.ts'),
          env: appEnv({ PORT: String(ports.api + i) }),
          logFile: path.join(logDir, `api-${i + 1}.log`),
          ready: () => waitForPort('127.0.0.1', ports.api + i, 120_000),
          onUnexpectedExit: (code, signal) => log(`api-${i + 1} exited unexpectedly (${signal ?? code})`),
        }),
    );
    log(`${workers.length} workers and ${apis.length} API instances starting (the workers bundle the workflows)`);
    await Promise.all([...workers, ...apis].map((p) => p.start()));
    stops.push(async () => {
      await Promise.all(apis.map((p) => p.stop()));
      await Promise.all(workers.map((p) => p.stop()));
    });

    let ui: Cluster['ui'];
    if (uiBinary) {
      const process_ = temporalUi(uiBinary, ports, temporalAddress, path.join(logDir, 'temporal-ui.log'));
      try {
        await process_.start();
        stops.push(() => process_.stop());
        ui = { process: process_, url: `http://127.0.0.1:${ports.ui}` };
      } catch (err) {
        log(`the Temporal UI server did not start: ${String(err).slice(0, 300)}`);
      }
    }

    return {
      ports,
      postgres,
      temporalAddress,
      temporalMetricsUrl: `http://127.0.0.1:${ports.temporalMetrics}/metrics`,
      temporal,
      workers,
      workerMetricsUrls: workers.map((_, i) => `http://127.0.0.1:${ports.workerMetrics + i}/metrics`),
      apis,
      apiUrls: apis.map((_, i) => `http://127.0.0.1:${ports.api + i}`),
      ...(ui ? { ui } : {}),
      logDir,
      passwords: PASSWORDS,
      stop: stopAll,
    };
  } catch (err) {
    await stopAll();
    throw err;
  }
}

async function clusterPostgres(dataDir: string, port: number, log: (m: string) => void): Promise<ClusterPostgres> {
  const adminUrl = `postgres://postgres:postgres@127.0.0.1:${port}/postgres`;
  let running: RunningPostgres | undefined;
  const start = async () => {
    running = await startEmbeddedPostgres({ dataDir, port, database: 'postgres', persistent: true, log });
  };
  await start();
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  const known = await client.query(`select 1 from pg_roles where rolname = 'temporal'`).finally(() => client.end());
  if (known.rowCount === 0) {
    // A new data directory: the roles and databases docker-compose's postgres gets on its first boot.
    log('PostgreSQL: new data directory; creating roles and databases with deploy/postgres/init.sql');
    await applyInitSql(adminUrl, path.join(DEPLOY, 'postgres', 'init.sql'), {
      TEMPORAL_DB_PASSWORD: PASSWORDS.temporal,
      APP_DB_PASSWORD: PASSWORDS.app,
    });
  }
  return {
    port,
    databaseUrl: `postgres://joint_approval:${PASSWORDS.app}@127.0.0.1:${port}/joint_approval`,
    adminUrl,
    start,
    stop: async () => {
      await running?.stop();
      running = undefined;
    },
  };
}

async function runScript(name: string, env: NodeJS.ProcessEnv, logFile: string): Promise<void> {
  try {
    const { stdout, stderr } = await run('sh', [path.join(DEPLOY, 'temporal', name)], { env, maxBuffer: 16 << 20 });
    writeFileSync(logFile, stdout + stderr);
  } catch (err) {
    const e = err as { stdout?: string; stderr?: string };
    throw new Error(`deploy/temporal/${name} failed:\n${e.stdout ?? ''}${e.stderr ?? String(err)}`);
  }
}

async function waitForOutput(output: () => string, needle: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!output().includes(needle)) {
    if (Date.now() > deadline) throw new Error(`"${needle}" not seen within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

function temporalUi(binary: string, ports: ClusterPorts, temporalAddress: string, logFile: string): ManagedProcess {
  return new ManagedProcess('temporal-ui', {
    command: binary,
    args: ['--root', path.join(DEPLOY, 'temporal', 'ui'), '--config', '.', '--env', 'joint-approval', 'start'],
    env: {
      ...process.env,
      TEMPORAL_ADDRESS: temporalAddress,
      TEMPORAL_UI_HOST: '127.0.0.1',
      TEMPORAL_UI_PORT: String(ports.ui),
      TEMPORAL_DEFAULT_NAMESPACE: 'default',
    },
    logFile,
    ready: () => waitForPort('127.0.0.1', ports.ui, 60_000),
  });
}
