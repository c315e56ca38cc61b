import { loadConfig } from '../config';
import { createLogger } from '../config/logger';
import { createDb } from './index';
import { migrateToLatest } from './migrator';

async function main(): Promise<void> {
  const config = loadConfig();
  const log = createLogger(config.logLevel, 'migrate');
  const db = createDb(config.databaseUrl, 1);
  try {
    const applied = await migrateToLatest(db);
    log.info({ applied }, applied.length ? 'migrations applied' : 'database already up to date');
  } finally {
    await db.destroy();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
