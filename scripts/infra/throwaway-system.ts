import { randomBytes } from 'node:crypto';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Client } from '@temporalio/client';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../api/app';
import { loadConfig, type AppConfig } from '../../config';
import { putDepartment } from '../../db/repositories/catalog';
import { createDb } from '../../db';
import { migrateToLatest } from '../../db/migrator';
import { createCaseWorker } from '../../worker/create-worker';
import { CASE_SEARCH_ATTRIBUTES } from '../../workflows/search-attributes';
import { startEmbeddedPostgres } from './postgres';
import { ensureTemporalCli } from './temporal-cli';
import { freePort } from './free-port';
import { staffTokenSigner } from './staff-token';

export interface ThrowawaySystem {
  baseUrl: string;
  app: FastifyInstance;
  config: AppConfig;
  token(claims: { role: string; dept?: string; sub?: string }): string;
  stop(): Promise<void>;
}

/**
 * A whole system of its own for scripts (demo, fuzzing): a real PostgreSQL in a temporary
 * directory, the in-memory Temporal dev server, a worker and the API on a free local port.
 */
export async function startThrowawaySystem(
  opts: { demoDayMs?: number; logLevel?: string; env?: Record<string, string> } = {},
): Promise<ThrowawaySystem> {
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'ja-system-'));
  chmodSync(tmp, 0o755); // the embedded server runs as the unprivileged postgres user
  const pg = await startEmbeddedPostgres({
    dataDir: path.join(tmp, 'pg'),
    port: await freePort(),
    database: 'joint_approval',
    persistent: false,
  });
  const cli = ensureTemporalCli();
  const temporal = await TestWorkflowEnvironment.createLocal({
    server: {
      executable: cli ? { type: 'existing-path', path: cli } : { type: 'cached-download' },
      searchAttributes: CASE_SEARCH_ATTRIBUTES,
      extraArgs: ['--log-level', 'error'],
    },
  });
  const base = loadConfig({
    DATABASE_URL: pg.url,
    TEMPORAL_ADDRESS: temporal.address,
    LOG_LEVEL: opts.logLevel ?? 'warn',
    // A throw-away system signs with a throw-away secret (not the dev one kept in .data/).
    JWT_SECRET: randomBytes(32).toString('hex'),
    ...opts.env,
  });
  const config: AppConfig = {
    ...base,
    taskQueue: 'throwaway',
    ...(opts.demoDayMs ? { demoDaySeconds: opts.demoDayMs / 1000, demoEpochMs: Date.now() } : {}),
  };
  const db = createDb(config.databaseUrl);
  await migrateToLatest(db);
  // The acceptance window's office, so that window tokens (dept WIN) name a catalog department.
  await putDepartment(db, 'WIN', { name: '综合受理窗口' });
  const worker = await createCaseWorker({
    connection: temporal.nativeConnection,
    namespace: 'default',
    taskQueue: config.taskQueue,
    db,
  });
  const running = worker.run();
  const app = await buildApp({ config, db, temporal: new Client({ connection: temporal.connection }) });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const baseUrl = `http://127.0.0.1:${(app.server.address() as net.AddressInfo).port}`;
  return {
    baseUrl,
    app,
    config,
    token: staffTokenSigner(config),
    stop: async () => {
      await app.close();
      worker.shutdown();
      await running;
      await db.destroy();
      await temporal.teardown();
      await pg.stop();
      rmSync(tmp, { recursive: true, force: true });
    },
  };
}
