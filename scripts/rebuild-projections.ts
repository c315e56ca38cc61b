import { loadConfig } from '../config';
import { createDb } from '../db';
import { rebuildProjections } from '../db/repositories/case-projection';

// npm run projections:rebuild: recompute cases, tasks and fees from the event store alone.
async function main(): Promise<void> {
  const db = createDb(loadConfig().databaseUrl, 2);
  const started = performance.now();
  try {
    const { cases, events } = await rebuildProjections(db, {
      onProgress: (c, e) => process.stderr.write(`\r${c} cases, ${e} events`),
    });
    const seconds = (performance.now() - started) / 1000;
    console.log(
      `\nrebuilt ${cases} cases from ${events} events in ${seconds.toFixed(1)} s (${Math.round(events / seconds)} events/s)`,
    );
  } finally {
    await db.destroy();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
