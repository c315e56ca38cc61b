import { Client, Connection } from '@temporalio/client';
import { loadConfig } from '../config';
import { createDb } from '../db';
import { reconcile } from './reconcile-lib';

// npm run reconcile [-- --matter CODE]: exit 1 when Temporal's view and the projections disagree.
async function main(): Promise<void> {
  const config = loadConfig();
  const matterIndex = process.argv.indexOf('--matter');
  const matterCode = matterIndex > 0 ? process.argv[matterIndex + 1] : undefined;
  const db = createDb(config.databaseUrl, 2);
  const connection = await Connection.connect({ address: config.temporalAddress });
  try {
    const { checked, drift } = await reconcile(db, new Client({ connection, namespace: config.temporalNamespace }), {
      matterCode,
    });
    for (const d of drift)
      console.log(
        `DRIFT ${d.caseNo} ${d.field}: temporal=${JSON.stringify(d.temporal)} projection=${JSON.stringify(d.projection)}`,
      );
    console.log(`${checked} cases checked, ${drift.length} drift${drift.length === 1 ? '' : 's'}`);
    process.exitCode = drift.length ? 1 : 0;
  } finally {
    await connection.close();
    await db.destroy();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(2);
});
