import helmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';
import fastifySse from '@fastify/sse';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { Client } from '@temporalio/client';
import Fastify, { type FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import type { AppConfig } from '../config';
import type { Db } from '../db';
import { authPlugin } from './plugins/auth';
import { consolePlugin } from './plugins/console';
import { errorsPlugin, sendProblem } from './plugins/errors';
import { infrastructurePlugin } from './plugins/infrastructure';
import { receiptApplierPlugin } from './plugins/receipt-applier';
import { livePlugin } from './plugins/live';
import { installValidators } from './plugins/validation';
import { receiptTimePlugin } from './receiving';
import { calendarRoutes } from './routes/calendar';
import { caseRoutes } from './routes/cases';
import { catalogRoutes } from './routes/catalog';
import { healthRoutes } from './routes/health';
import { publicRoutes } from './routes/public';
import { remediationRoutes } from './routes/remediations';
import { streamRoutes } from './routes/stream';
import { signInRoutes } from './routes/sign-in';
import { supervisionRoutes } from './routes/supervision';
import { taskRoutes } from './routes/tasks';
import { viewRoutes } from './routes/views';
import { CONTENT_SECURITY_POLICY, noStoreForApi } from './security-headers';

export interface AppDeps {
  config: AppConfig;
  db: Db;
  temporal: Client;
  logger?: Logger | boolean;
}

/** Builds the HTTP API; the caller owns the database pool and Temporal connection. */
export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: typeof deps.logger === 'object' ? deps.logger : undefined,
    logger: typeof deps.logger === 'object' ? undefined : (deps.logger ?? false),
    bodyLimit: deps.config.bodyLimitBytes,
    // The client IP (rate limits are per IP) is the socket's unless TRUST_PROXY names the proxies in front.
    trustProxy: deps.config.trustProxy,
    // Errors the router raises before any route (a URL that does not decode) leave as problem+json too.
    frameworkErrors: (err, request, reply) => sendProblem(err, request, reply),
  }) as unknown as FastifyInstance;
  // JSON only: Fastify's built-in text/plain parser would turn a text body into a 400 instead of a 415.
  app.removeContentTypeParser('text/plain');
  installValidators(app);

  await app.register(receiptTimePlugin);
  await app.register(errorsPlugin);
  await app.register(helmet, {
    contentSecurityPolicy: { useDefaults: false, directives: CONTENT_SECURITY_POLICY },
    global: true,
  });
  noStoreForApi(app);
  await app.register(rateLimit, { global: false });
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Joint approval (并联审批) API',
        version: '1.0.0',
        description:
          'One window accepts, departments review in parallel, the lead decides, fees are paid once, working-day timers hold everyone to their limits.',
      },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } } },
    },
  });
  // No validator badge: it would load an image from validator.swagger.io, which the CSP refuses.
  await app.register(swaggerUi, { routePrefix: '/docs', uiConfig: { validatorUrl: null } });
  await app.register(infrastructurePlugin, { config: deps.config, db: deps.db, temporal: deps.temporal });
  await app.register(receiptApplierPlugin);
  await app.register(livePlugin);
  await app.register(fastifySse, { heartbeatInterval: deps.config.streamHeartbeatMs });
  await app.register(authPlugin, {
    secret: deps.config.jwtSecret,
    failuresPerMinute: deps.config.authFailuresPerMinute,
    maxLifetimeSeconds: deps.config.jwtMaxLifetimeSeconds,
    ...(deps.config.jwtIssuer ? { issuer: deps.config.jwtIssuer } : {}),
    ...(deps.config.jwtAudience ? { audience: deps.config.jwtAudience } : {}),
  });

  await app.register(healthRoutes);
  await app.register(catalogRoutes);
  await app.register(calendarRoutes);
  await app.register(caseRoutes);
  await app.register(taskRoutes);
  await app.register(supervisionRoutes);
  await app.register(publicRoutes);
  await app.register(remediationRoutes);
  await app.register(streamRoutes);
  await app.register(viewRoutes);
  await app.register(signInRoutes);
  // The web console at `/` (its own CSP); registered last so the API's routes come first.
  await app.register(consolePlugin);
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
  return app;
}
