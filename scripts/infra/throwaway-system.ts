import { randomBytes } from 'node:crypto';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import type { FastifyInstance } from 'fastify';
import { loadConfig, type AppConfig } from '../../config';
import { createDb } from '../../db';
import { migrateToLatest } from '../../db/migrator';
import { CASE_SEARCH_ATTRIBUTES } from '../../workflows/search-attributes';
import { startEmbeddedPostgres } from './postgres';
import { ensureTemporalCli } from './temporal-cli';
import { freePort } from './free-port';
import { assembleSystem } from './system';

export interface ThrowawaySystem {
  baseUrl: string;
  app: FastifyInstance;
  config: AppConfig;
  token(claims: { role: string; dept?: string; sub?: string }): string;
  stop(): Promise<void>;
}

/**
 * A whole system of its own for scripts (demo, fuzzing): a real PostgreSQL in a temporary
 * directory, the in-memory Temporal dev server, a worker and the API on a free local port.
 */
export async function startThrowawaySystem(
  opts: { demoDayMs?: number; logLevel?: string; env?: Record<string, string> } = {},
): Promise<ThrowawaySystem> {
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'ja-system-'));
  chmodSync(tmp, 0o755); // the embedded server runs as the unprivileged postgres user
  const pg = await startEmbeddedPostgres({
    dataDir: path.join(tmp, 'pg'),
    port: await freePort(),
    database: 'joint_approval',
    persistent: false,
  });
  const cli = ensureTemporalCli();
  const temporal = await TestWorkflowEnvironment.createLocal({
    server: {
      executable: cli ? { type: 'existing-path', path: cli } : { type: 'cached-download' },
      searchAttributes: CASE_SEARCH_ATTRIBUTES,
      extraArgs: ['--log-level', 'error'],
    },
  });
  const base = loadConfig({
    DATABASE_URL: pg.url,
    TEMPORAL_ADDRESS: temporal.address,
    LOG_LEVEL: opts.logLevel ?? 'warn',
    // A throw-away system signs with a throw-away secret (not the dev one kept in .data/).
    JWT_SECRET: randomBytes(32).toString('hex'),
    ...opts.env,
  });
  const config: AppConfig = {
    ...base,
    taskQueue: 'throwaway',
    ...(opts.demoDayMs ? { demoDaySeconds: opts.demoDayMs / 1000, demoEpochMs: Date.now() } : {}),
  };
  // The schema first: the system assumes a migrated database, as its processes do in production.
  const migrating = createDb(config.databaseUrl, 1);
  await migrateToLatest(migrating);
  await migrating.destroy();
  const system = await assembleSystem({ config, listen: true });
  return {
    baseUrl: system.baseUrl!,
    app: system.app,
    config,
    token: system.token,
    stop: async () => {
      await system.stop();
      await temporal.teardown();
      await pg.stop();
      rmSync(tmp, { recursive: true, force: true });
    },
  };
}
