import { Client, Connection, defaultGrpcRetryOptions, makeGrpcRetryInterceptor } from '@temporalio/client';
import type { FastifyInstance } from 'fastify';
import { inject } from 'vitest';
import { buildApp } from '../../api/app';
import { createDb, type Db } from '../../db';
import { freePort } from '../../scripts/infra/free-port';
import { caller } from './http';
import type { TestSystem } from './system';

/**
 * APIs like the test system's own, but with Temporal (or PostgreSQL) at an address where nothing
 * listens: commands are received durably and then cannot be applied (or not even received).
 * `close()` in afterAll, before the system stops.
 */
export function outageApis(sys: () => TestSystem) {
  const made: { app: FastifyInstance; db: Db; connection: Connection }[] = [];

  async function apiWithout(part: 'temporal' | 'database'): Promise<FastifyInstance> {
    const dead = `127.0.0.1:${await freePort()}`;
    const config = {
      ...sys().config,
      commandWaitMs: 1000,
      databaseUrl: part === 'database' ? `postgres://postgres:postgres@${dead}/none` : inject('databaseUrl'),
    };
    const db = createDb(config.databaseUrl, 2);
    // Few retries against the dead address, so that closing this API (which waits for its
    // applications under way) does not wait for the default ten.
    const connection = Connection.lazy({
      address: part === 'temporal' ? dead : inject('temporalAddress'),
      interceptors: [makeGrpcRetryInterceptor(defaultGrpcRetryOptions({ maxAttempts: 3 }))],
    });
    const app = await buildApp({ config, db, temporal: new Client({ connection }) });
    made.push({ app, db, connection });
    return app;
  }

  return {
    apiWithout,
    /** A caller of one of these APIs as someone. */
    via: (app: FastifyInstance, token: string) => caller({ ...sys(), app, baseUrl: undefined }, token),
    async close(): Promise<void> {
      for (const x of made) {
        await x.app.close();
        await x.connection.close();
        await x.db.destroy();
      }
    },
  };
}
