import { randomUUID } from 'node:crypto';
import { pino, type Logger } from 'pino';
import { inject } from 'vitest';
import { loadConfig, type AppConfig } from '../../config';
import { assembleSystem, type System } from '../../scripts/infra/system';

/** The secret test tokens are signed with (tests forge bad and expired tokens from it). */
export const TEST_JWT_SECRET = 'test-secret-0123456789abcdef0123456789';

export interface TestSystem extends Omit<System, 'token'> {
  token(role: 'window' | 'department' | 'supervisor' | 'admin', dept?: string, sub?: string): string;
}

/**
 * The real system against the run's real servers: API + worker on a task queue of its own.
 * `demoDayMs` switches on the demo clock so working days pass in milliseconds; `env` is read by
 * loadConfig like the process environment (e.g. BODY_LIMIT_BYTES); `logger` is given to the API
 * (by default one that prints errors only).
 */
export async function startSystem(
  opts: {
    demoDayMs?: number;
    /** Where the demo clock's day 0 began (default: now). */
    demoEpochMs?: number;
    listen?: boolean;
    env?: Record<string, string>;
    logger?: Logger;
  } = {},
): Promise<TestSystem> {
  const config: AppConfig = {
    ...loadConfig({
      NODE_ENV: 'test',
      DATABASE_URL: inject('databaseUrl'),
      TEMPORAL_ADDRESS: inject('temporalAddress'),
      JWT_SECRET: TEST_JWT_SECRET,
      // Tests share a two-core machine with other runs: many commands queued on one case can take
      // longer than the production bound; tests of the bound itself set their own.
      COMMAND_WAIT_MS: '60000',
      ...opts.env,
    }),
    taskQueue: `test-${randomUUID()}`,
    ...(opts.demoDayMs ? { demoDaySeconds: opts.demoDayMs / 1000, demoEpochMs: opts.demoEpochMs ?? Date.now() } : {}),
  };
  const system = await assembleSystem({
    config,
    dbPoolSize: 5,
    workflowBundle: { codePath: inject('workflowBundlePath') },
    stickyQueueScheduleToStartTimeout: '1s',
    ...(opts.listen ? { listen: true } : {}),
    // Errors only (an answer 500 says why in the test's output); refusals and warnings stay quiet.
    logger: opts.logger ?? pino({ level: 'error' }),
  });
  // A getter, so that `worker` names the worker running now after a restart.
  return Object.defineProperty(
    { ...system, token: (role: string, dept?: string, sub?: string) => system.token({ role, dept, sub }) },
    'worker',
    { get: () => system.worker },
  ) as TestSystem;
}

/** Unique codes so test files can share one database without stepping on each other. */
export const unique = (prefix: string) => `${prefix}${randomUUID().slice(0, 8).toUpperCase()}`;
