import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { bundleWorkflowCode, NativeConnection, Runtime, Worker, type WorkerOptions } from '@temporalio/worker';
import type { Logger } from 'pino';
import { createActivities, type Activities } from '../activities';
import { DEFAULT_MAX_CACHED_WORKFLOWS } from '../config';
import type { Db } from '../db';
import { workerBuildId } from '../workflows/patches';

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
  /** The activities as built from `db`, wrapped (the fault tier's crashing worker); by default as they are. */
  wrapActivities?: (activities: Activities) => Activities;
}

/** A module of workflows/: TypeScript source when run from source, JavaScript in the built image. */
const workflowsModule = (name: string) =>
  [`${name}.ts`, `${name}.js`].map((f) => path.join(__dirname, '..', 'workflows', f)).find((f) => existsSync(f)) ??
  path.join(__dirname, '..', 'workflows', name);

/** The workflows' entry. */
export const WORKFLOWS_PATH = workflowsModule('index');

/**
 * The build id this worker's workflow code is known by: a hash of the bundle, as the SDK's default
 * is, but short. The SDK's default ('@temporalio/worker@<version>+' and 64 hex digits) is written
 * into every workflow task's two history events (about 1.5 KB of a simple case's history). It
 * names the code for operators (e.g. resetting cases a bad build touched); without worker versioning,
 * which we do not use, nothing else reads it, so a shorter one changes no task routing or replay.
 * Its prefix also tells a case's workflow which of the API's start flags the build honours (patches.ts).
 */
export function workflowBuildId(bundleCode: string): string {
  return workerBuildId(createHash('sha256').update(bundleCode).digest('hex').slice(0, 16));
}

/** The workflow sandbox's settings (workflows/sandbox.ts), loaded before the SDK freezes its globals. */
const SANDBOX_PATH = workflowsModule('sandbox');

/** The case and republication workflows as one bundle, the way every worker of ours runs them. */
export function bundleCaseWorkflows(
  logger: Parameters<typeof bundleWorkflowCode>[0]['logger'],
): ReturnType<typeof bundleWorkflowCode> {
  return bundleWorkflowCode({ workflowsPath: WORKFLOWS_PATH, preloadModules: [SANDBOX_PATH], logger });
}

export async function createCaseWorker(opts: CaseWorkerOptions): Promise<Worker> {
  // Bundled here (as the SDK would from workflowsPath) so that the build id can be derived from it.
  const bundle = opts.workflowBundle ?? (await bundleCaseWorkflows(Runtime.instance().logger));
  const code = 'code' in bundle ? bundle.code : await readFile(bundle.codePath, 'utf8');
  return Worker.create({
    buildId: workflowBuildId(code),
    connection: opts.connection,
    namespace: opts.namespace,
    taskQueue: opts.taskQueue,
    activities: (opts.wrapActivities ?? ((a) => a))(
      createActivities({ db: opts.db, webhookAllowPrivate: opts.webhookAllowPrivate ?? false }),
    ),
    maxCachedWorkflows: opts.maxCachedWorkflows ?? DEFAULT_MAX_CACHED_WORKFLOWS,
    ...(opts.stickyQueueScheduleToStartTimeout
      ? { stickyQueueScheduleToStartTimeout: opts.stickyQueueScheduleToStartTimeout }
      : {}),
    workflowBundle: { code },
  });
}
