import net from 'node:net';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, type Worker, type WorkerOptions } from '@temporalio/worker';
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { buildApp } from '../../api/app';
import type { AppConfig } from '../../config';
import { createDb, type Db } from '../../db';
import { putDepartment } from '../../db/repositories/catalog';
import { createCaseWorker } from '../../worker/create-worker';
import { startHeldBatchSweeper } from '../../worker/held-batch-sweeper';
import { staffTokenSigner, type StaffTokenClaims } from './staff-token';

export interface SystemOptions {
  /** The servers it runs against (database, Temporal) and its task queue come from here. */
  config: AppConfig;
  dbPoolSize?: number;
  /** A prebuilt workflow bundle (the test run builds one); otherwise the worker bundles its own. */
  workflowBundle?: WorkerOptions['workflowBundle'];
  /** How long a case waits for its worker's sticky cache: short, so a restarted worker resumes at once. */
  stickyQueueScheduleToStartTimeout?: WorkerOptions['stickyQueueScheduleToStartTimeout'];
  /** Listen on a free local port (otherwise callers inject requests into `app`). */
  listen?: boolean;
  logger?: Logger;
}

/** One running joint-approval system: the API and a worker, with their database pool and Temporal clients. */
export interface System {
  app: FastifyInstance;
  db: Db;
  client: Client;
  config: AppConfig;
  /** The worker running now (a restart replaces it). */
  readonly worker: Worker;
  /** Base URL when started with `listen`. */
  baseUrl?: string;
  /** Stops the worker and waits until its in-flight tasks have drained: nothing writes after this. */
  stopWorker(): Promise<void>;
  /** Stops the worker (in-flight timers stay in Temporal) and starts a fresh one on the same queue. */
  restartWorker(downMs: number): Promise<void>;
  token(claims: StaffTokenClaims): string;
  /** Closes the API, the worker and the connections; the servers themselves are the caller's. */
  stop(): Promise<void>;
}

/**
 * The one assembly of the system for tests and scripts, as the API and worker processes assemble it
 * in production: a database pool, a worker on the configured task queue, a Temporal client and the
 * API built on them. The acceptance window's office (WIN) is put in the catalog, since window tokens
 * must name a catalog department.
 */
export async function assembleSystem(opts: SystemOptions): Promise<System> {
  const { config } = opts;
  const db = createDb(config.databaseUrl, opts.dbPoolSize);
  const nativeConnection = await NativeConnection.connect({ address: config.temporalAddress });
  const newWorker = () =>
    createCaseWorker({
      connection: nativeConnection,
      namespace: config.temporalNamespace,
      taskQueue: config.taskQueue,
      db,
      webhookAllowPrivate: config.webhookAllowPrivate,
      ...(opts.workflowBundle ? { workflowBundle: opts.workflowBundle } : {}),
      ...(opts.stickyQueueScheduleToStartTimeout
        ? { stickyQueueScheduleToStartTimeout: opts.stickyQueueScheduleToStartTimeout }
        : {}),
    });
  let worker = await newWorker();
  let running = worker.run();
  // As in the worker process: held timer events are recorded at their deadline.
  const sweeper = startHeldBatchSweeper(
    db,
    opts.logger ?? { warn: (o: unknown, m?: string) => console.warn(m, o), info: () => undefined },
  );
  const connection = await Connection.connect({ address: config.temporalAddress });
  const client = new Client({ connection, namespace: config.temporalNamespace });
  await putDepartment(db, 'WIN', { name: '综合受理窗口' });
  const app = await buildApp({ config, db, temporal: client, ...(opts.logger ? { logger: opts.logger } : {}) });
  let baseUrl: string | undefined;
  if (opts.listen) {
    await app.listen({ host: '127.0.0.1', port: 0 });
    baseUrl = `http://127.0.0.1:${(app.server.address() as net.AddressInfo).port}`;
  }
  const stopWorker = async () => {
    if (worker.getState() === 'RUNNING') worker.shutdown();
    await running;
  };
  return {
    app,
    db,
    client,
    config,
    baseUrl,
    get worker() {
      return worker;
    },
    stopWorker,
    restartWorker: async (downMs: number) => {
      await stopWorker();
      await new Promise((r) => setTimeout(r, downMs));
      worker = await newWorker();
      running = worker.run();
    },
    token: staffTokenSigner(config),
    stop: async () => {
      await app.close();
      await stopWorker();
      await sweeper.stop();
      await nativeConnection.close();
      await connection.close();
      await db.destroy();
    },
  };
}
