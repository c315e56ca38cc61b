import { existsSync } from 'node:fs';
import path from 'node:path';
import { NativeConnection, Worker, type WorkerOptions } from '@temporalio/worker';
import type { Logger } from 'pino';
import { createActivities } from '../activities';
import { DEFAULT_MAX_CACHED_WORKFLOWS } from '../config';
import type { Db } from '../db';

export interface CaseWorkerOptions {
  connection: NativeConnection;
  namespace: string;
  taskQueue: string;
  db: Db;
  /** WEBHOOK_ALLOW_PRIVATE (config): webhook targets on private addresses allowed. */
  webhookAllowPrivate?: boolean;
  log?: Logger;
  /** A prebuilt bundle (tests build one per run); otherwise the workflows are bundled here, once. */
  workflowBundle?: WorkerOptions['workflowBundle'];
  /** How long a task waits for this worker's sticky cache before any worker may take it. */
  stickyQueueScheduleToStartTimeout?: WorkerOptions['stickyQueueScheduleToStartTimeout'];
  /** Cases kept in memory; the SDK's default grows with the heap (~2,300 per 4 GiB), so set it. */
  maxCachedWorkflows?: number;
}

/** The workflows' entry: TypeScript source when run from source, JavaScript in the built image. */
export const WORKFLOWS_PATH =
  ['index.ts', 'index.js'].map((f) => path.join(__dirname, '..', 'workflows', f)).find((f) => existsSync(f)) ??
  path.join(__dirname, '..', 'workflows');

export async function createCaseWorker(opts: CaseWorkerOptions): Promise<Worker> {
  return Worker.create({
    connection: opts.connection,
    namespace: opts.namespace,
    taskQueue: opts.taskQueue,
    activities: createActivities({ db: opts.db, webhookAllowPrivate: opts.webhookAllowPrivate ?? false }),
    maxCachedWorkflows: opts.maxCachedWorkflows ?? DEFAULT_MAX_CACHED_WORKFLOWS,
    ...(opts.stickyQueueScheduleToStartTimeout
      ? { stickyQueueScheduleToStartTimeout: opts.stickyQueueScheduleToStartTimeout }
      : {}),
    ...(opts.workflowBundle ? { workflowBundle: opts.workflowBundle } : { workflowsPath: WORKFLOWS_PATH }),
  });
}
