import { Connection } from '@temporalio/client';
import { NativeConnection, Runtime } from '@temporalio/worker';
import { loadConfig } from '../config';
import { createLogger } from '../config/logger';
import { createDb } from '../db';
import { createCaseWorker } from './create-worker';
import { startHeldBatchSweeper } from './held-batch-sweeper';
import { ensureSearchAttributes } from './search-attributes';

async function main(): Promise<void> {
  const config = loadConfig();
  const log = createLogger(config.logLevel, 'worker');
  // The SDK's own metrics (task slots, poll and schedule-to-start latencies, sticky cache) for Prometheus.
  if (config.workerMetricsAddress)
    Runtime.install({ telemetryOptions: { metrics: { prometheus: { bindAddress: config.workerMetricsAddress } } } });
  const db = createDb(config.databaseUrl);
  const admin = await Connection.connect({ address: config.temporalAddress });
  const added = await ensureSearchAttributes(admin, config.temporalNamespace);
  if (added.length) log.info({ added }, 'registered search attributes');
  await admin.close();
  const connection = await NativeConnection.connect({ address: config.temporalAddress });
  const worker = await createCaseWorker({
    connection,
    namespace: config.temporalNamespace,
    taskQueue: config.taskQueue,
    db,
    webhookAllowPrivate: config.webhookAllowPrivate,
    log,
    maxCachedWorkflows: config.workerMaxCachedWorkflows,
    // A prebuilt bundle (the fault tier restarts workers often); otherwise bundled here at start.
    ...(process.env.WORKFLOW_BUNDLE_PATH ? { workflowBundle: { codePath: process.env.WORKFLOW_BUNDLE_PATH } } : {}),
  });
  // Timer events decided ahead are recorded at their deadline by this process's sweeper.
  const sweeper = startHeldBatchSweeper(db, log);
  log.info({ taskQueue: config.taskQueue, temporal: config.temporalAddress }, 'worker started');
  // Runtime shuts the worker down gracefully on SIGINT/SIGTERM; run() resolves once in-flight work is done.
  await worker.run();
  await sweeper.stop();
  await connection.close();
  await db.destroy();
  log.info('worker stopped');
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
