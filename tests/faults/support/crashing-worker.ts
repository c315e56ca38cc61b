import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { NativeConnection } from '@temporalio/worker';
import type { Activities } from '../../../activities';
import { loadConfig } from '../../../config';
import { createDb } from '../../../db';
import { unpackEvents, updateIdsOf, type PackedEvents } from '../../../domain/event-batch';
import { createCaseWorker } from '../../../worker/create-worker';

/**
 * The fault tier's worker that dies at the worst moment of a local append (patch l14-local-append):
 * built by createCaseWorker as the real one is (same config, activities,
 * build id, bundle), except that `appendEvents` for a listed case kills this process with SIGKILL
 * right after its transaction has committed — before the local activity's result, and so the
 * workflow task that decided those events, can reach Temporal. The task is lost; its Updates go
 * to another worker, which finds the events in the store and must adopt them.
 *
 * CRASH_AFTER_APPEND_CASES_FILE names a file of case numbers, read at each append: a case's number
 * is known only once it is submitted, and by then this worker must already hold the case (its
 * sticky queue), so the list cannot be fixed when the process starts. The append that dies is the
 * first of a listed case whose batch holds an event of type CRASH_ON_EVENT (any, if unset). A listed
 * case's first append is held for CRASH_HOLD_FIRST_MS before it runs, so that commands sent at once
 * meanwhile queue up for the next workflow task and the batch that dies carries several of them.
 * The batch committed is written to CRASH_REPORT_FILE first, for the tier to compare with what the
 * store kept. Test-only: production code has no fault hooks.
 */
async function main(): Promise<void> {
  const config = loadConfig();
  const casesFile = required('CRASH_AFTER_APPEND_CASES_FILE');
  const reportFile = required('CRASH_REPORT_FILE');
  const bundlePath = required('WORKFLOW_BUNDLE_PATH');
  const holdFirstMs = Number(process.env.CRASH_HOLD_FIRST_MS ?? 0);
  const crashOn = process.env.CRASH_ON_EVENT;
  const listed = (caseNo: string) =>
    existsSync(casesFile) && readFileSync(casesFile, 'utf8').split(/\s+/).includes(caseNo);
  /** Appends of listed cases seen so far, by case. */
  const seen = new Map<string, number>();

  const db = createDb(config.databaseUrl);
  const crashing = (activities: Activities): Activities => ({
    ...activities,
    async appendEvents(caseNo: string, afterSeq: number, batch: PackedEvents) {
      const nth = listed(caseNo) ? (seen.get(caseNo) ?? 0) + 1 : 0;
      if (nth) seen.set(caseNo, nth);
      if (nth === 1 && holdFirstMs) await new Promise((r) => setTimeout(r, holdFirstMs));
      const outcome = await activities.appendEvents(caseNo, afterSeq, batch);
      const events = unpackEvents(batch);
      if (nth && 'recorded' in outcome && (!crashOn || events.some((e) => e.type === crashOn))) {
        writeFileSync(
          reportFile,
          JSON.stringify({
            pid: process.pid,
            at: new Date().toISOString(),
            caseNo,
            afterSeq,
            events: events.map((e) => ({ seq: e.seq, type: e.type, data: e.data })),
            updateIds: updateIdsOf(batch),
          }),
        );
        console.error(`crashing worker: ${caseNo} events ${events.map((e) => e.seq).join(',')} committed; SIGKILL`);
        process.kill(process.pid, 'SIGKILL');
        await new Promise(() => undefined); // never answers: the process is gone
      }
      return outcome;
    },
  });

  const connection = await NativeConnection.connect({ address: config.temporalAddress });
  const worker = await createCaseWorker({
    connection,
    namespace: config.temporalNamespace,
    taskQueue: config.taskQueue,
    db,
    webhookAllowPrivate: config.webhookAllowPrivate,
    maxCachedWorkflows: config.workerMaxCachedWorkflows,
    workflowBundle: { codePath: bundlePath },
    wrapActivities: crashing,
  });
  console.error(`crashing worker ${process.pid} polling ${config.taskQueue}`);
  await worker.run();
  await connection.close();
  await db.destroy();
}

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is required`);
  return value;
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
