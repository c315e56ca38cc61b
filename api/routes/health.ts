import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import client from 'prom-client';
import { pingDb } from '../../db';

const Health = Type.Object({ status: Type.String(), temporal: Type.String(), database: Type.String() });

const registry = new client.Registry();
client.collectDefaultMetrics({ register: registry });
const requests = new client.Counter({
  name: 'http_requests_total',
  help: 'HTTP requests by route and status',
  labelNames: ['method', 'route', 'status'],
  registers: [registry],
});

async function check(probe: () => Promise<unknown>): Promise<'ok' | 'down'> {
  try {
    await Promise.race([probe(), new Promise((_, reject) => setTimeout(() => reject(new Error('timeout')), 2000))]);
    return 'ok';
  } catch {
    return 'down';
  }
}

export const healthRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.addHook('onResponse', async (request, reply) => {
    requests.inc({
      method: request.method,
      route: request.routeOptions.url ?? 'unknown',
      status: String(reply.statusCode),
    });
  });

  app.get(
    '/health',
    { schema: { tags: ['health'], response: { 200: Health, 503: Health } } },
    async (_request, reply) => {
      const [temporal, database] = await Promise.all([
        check(() => app.temporal.workflowService.getSystemInfo({})),
        check(() => pingDb(app.db)),
      ]);
      const ok = temporal === 'ok' && database === 'ok';
      if (!ok) void reply.header('retry-after', '2');
      return reply.status(ok ? 200 : 503).send({ status: ok ? 'ok' : 'degraded', temporal, database });
    },
  );

  app.get('/metrics', { schema: { tags: ['health'], produces: ['text/plain'] } }, async (_request, reply) => {
    return reply.type(registry.contentType).send(await registry.metrics());
  });
};
