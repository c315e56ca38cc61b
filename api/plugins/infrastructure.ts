import type { Client } from '@temporalio/client';
import fp from 'fastify-plugin';
import type { AppConfig } from '../../config';
import type { Db } from '../../db';
import { createCaseService, type CaseService } from '../services/case-service';

declare module 'fastify' {
  interface FastifyInstance {
    config: AppConfig;
    db: Db;
    temporal: Client;
    cases: CaseService;
  }
}

/** One database pool and one Temporal client per process, created at boot and shared by routes. */
export const infrastructurePlugin = fp(async (app, opts: { config: AppConfig; db: Db; temporal: Client }) => {
  app.decorate('config', opts.config);
  app.decorate('db', opts.db);
  app.decorate('temporal', opts.temporal);
  const demo = opts.config.demoDaySeconds
    ? { epochMs: opts.config.demoEpochMs!, dayMs: Math.round(opts.config.demoDaySeconds * 1000) }
    : undefined;
  app.decorate(
    'cases',
    createCaseService({
      db: opts.db,
      temporal: opts.temporal,
      taskQueue: opts.config.taskQueue,
      demo,
      commandWaitMs: opts.config.commandWaitMs,
    }),
  );
  // Commands still being applied finish (and store their answers) before the process lets go of Temporal.
  app.addHook('onClose', async () => app.cases.drain(DRAIN_MS));
});

/** How long a closing API waits for the commands it is still applying. */
const DRAIN_MS = 15_000;
