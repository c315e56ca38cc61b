import { Client, Connection } from '@temporalio/client';
import { loadConfig } from '../config';
import { createLogger } from '../config/logger';
import { createDb } from '../db';
import { buildApp } from './app';

async function main(): Promise<void> {
  const config = loadConfig();
  const log = createLogger(config.logLevel, 'api');
  const db = createDb(config.databaseUrl);
  // Lazy: the API starts (and answers 503 for commands, /health saying so) while Temporal is down.
  const connection = Connection.lazy({ address: config.temporalAddress });
  const temporal = new Client({ connection, namespace: config.temporalNamespace });
  const app = await buildApp({ config, db, temporal, logger: log });
  const close = async (signal: string) => {
    log.info({ signal }, 'shutting down');
    await app.close();
    await connection.close();
    await db.destroy();
    process.exit(0);
  };
  process.once('SIGINT', () => void close('SIGINT'));
  process.once('SIGTERM', () => void close('SIGTERM'));
  await app.listen({ host: config.host, port: config.port });
  if (config.demoDaySeconds) log.info({ daySeconds: config.demoDaySeconds }, 'demo clock: every day is a working day');
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
