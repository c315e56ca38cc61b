import path from 'node:path';
import { NativeConnection, Worker } from '@temporalio/worker';
import { sql } from 'kysely';
import { createDb } from '../../db';
import { BASELINE_TABLE_DDL, createBaselineActivities } from './baseline-activities';

/** The baseline's worker, a process of its own so the benchmark can read its CPU and memory apart. */
async function main(): Promise<void> {
  const db = createDb(process.env.DATABASE_URL!);
  await sql.raw(BASELINE_TABLE_DDL).execute(db);
  const connection = await NativeConnection.connect({ address: process.env.TEMPORAL_ADDRESS! });
  const worker = await Worker.create({
    connection,
    namespace: 'default',
    taskQueue: process.env.TEMPORAL_TASK_QUEUE!,
    workflowsPath: path.join(__dirname, 'baseline-workflow.ts'),
    activities: createBaselineActivities(db),
  });
  console.log('baseline worker started');
  await worker.run();
  await connection.close();
  await db.destroy();
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
