import { randomUUID } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, type Worker } from '@temporalio/worker';
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { inject } from 'vitest';
import { buildApp } from '../../api/app';
import { loadConfig, type AppConfig } from '../../config';
import { createDb, type Db } from '../../db';
import { putDepartment } from '../../db/repositories/catalog';
import { createCaseWorker } from '../../worker/create-worker';
import { staffTokenSigner } from '../../scripts/infra/staff-token';

/** The secret test tokens are signed with (tests forge bad and expired tokens from it). */
export const TEST_JWT_SECRET = 'test-secret-0123456789abcdef0123456789';

export interface TestSystem {
  app: FastifyInstance;
  db: Db;
  client: Client;
  config: AppConfig;
  worker: Worker;
  /** Stops the worker (in-flight timers stay in Temporal) and starts a fresh one on the same queue. */
  restartWorker(downMs: number): Promise<void>;
  /** Stops the worker and waits until its in-flight tasks have drained: nothing writes after this. */
  stopWorker(): Promise<void>;
  /** Base URL when started with `listen: true`. */
  baseUrl?: string;
  token(role: 'window' | 'department' | 'supervisor' | 'admin', dept?: string, sub?: string): string;
  stop(): Promise<void>;
}

/**
 * The real system against the run's real servers: API + worker on a task queue of its own.
 * `demoDayMs` switches on the demo clock so working days pass in milliseconds; `env` is read by
 * loadConfig like the process environment (e.g. BODY_LIMIT_BYTES); `logger` is given to the API.
 */
export async function startSystem(
  opts: { demoDayMs?: number; listen?: boolean; env?: Record<string, string>; logger?: Logger } = {},
): Promise<TestSystem> {
  const config: AppConfig = {
    ...loadConfig({
      NODE_ENV: 'test',
      DATABASE_URL: inject('databaseUrl'),
      TEMPORAL_ADDRESS: inject('temporalAddress'),
      JWT_SECRET: TEST_JWT_SECRET,
      // Tests share a two-core machine with other runs: many commands queued on one case can take
      // longer than the production bound; tests of the bound itself set their own.
      COMMAND_WAIT_MS: '60000',
      ...opts.env,
    }),
    taskQueue: `test-${randomUUID()}`,
    ...(opts.demoDayMs ? { demoDaySeconds: opts.demoDayMs / 1000, demoEpochMs: Date.now() } : {}),
  };
  const db = createDb(config.databaseUrl, 5);
  const nativeConnection = await NativeConnection.connect({ address: config.temporalAddress });
  const newWorker = () =>
    createCaseWorker({
      connection: nativeConnection,
      namespace: config.temporalNamespace,
      taskQueue: config.taskQueue,
      db,
      workflowBundle: { codePath: inject('workflowBundlePath') },
      // A restarted worker should pick up its cases at once rather than after the sticky timeout.
      stickyQueueScheduleToStartTimeout: '1s',
    });
  let worker = await newWorker();
  let running = worker.run();
  const connection = await Connection.connect({ address: config.temporalAddress });
  const client = new Client({ connection, namespace: config.temporalNamespace });
  // The acceptance window's office: window tokens name it as their dept, which must be in the catalog.
  await putDepartment(db, 'WIN', { name: '综合受理窗口' });
  const app = await buildApp({ config, db, temporal: client, ...(opts.logger ? { logger: opts.logger } : {}) });
  let baseUrl: string | undefined;
  if (opts.listen) {
    await app.listen({ host: '127.0.0.1', port: 0 });
    const address = app.server.address();
    baseUrl = typeof address === 'object' && address ? `http://127.0.0.1:${address.port}` : undefined;
  }
  const sign = staffTokenSigner(config.jwtSecret);
  return {
    app,
    db,
    client,
    config,
    baseUrl,
    get worker() {
      return worker;
    },
    stopWorker: async () => {
      if (worker.getState() === 'RUNNING') worker.shutdown();
      await running;
    },
    restartWorker: async (downMs: number) => {
      worker.shutdown();
      await running;
      await new Promise((r) => setTimeout(r, downMs));
      worker = await newWorker();
      running = worker.run();
    },
    token: (role, dept, sub) => sign({ role, dept, sub }),
    stop: async () => {
      await app.close();
      if (worker.getState() === 'RUNNING') worker.shutdown();
      await running;
      await nativeConnection.close();
      await connection.close();
      await db.destroy();
    },
  };
}

/** Unique codes so test files can share one database without stepping on each other. */
export const unique = (prefix: string) => `${prefix}${randomUUID().slice(0, 8).toUpperCase()}`;
