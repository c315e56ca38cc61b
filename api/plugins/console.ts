import { existsSync } from 'node:fs';
import path from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { HttpProblem } from '../problem';
import { CONTENT_SECURITY_POLICY, cspHeader } from '../security-headers';

/** Where `npm run build:web` puts the console (git-ignored); the same relative place in dist/. */
export const CONSOLE_DIR = path.resolve(__dirname, '..', '..', 'web', 'dist');

/** The console's Content-Security-Policy: the one definition in api/security-headers.ts, as a header. */
export const CONSOLE_CSP = cspHeader(CONTENT_SECURITY_POLICY);

/** Paths that belong to the API and its docs: never answered with the console's page. */
const NOT_CONSOLE = /^\/(api|docs|health|metrics|openapi\.json)(\/|$|\?)/;

/**
 * Serves the web console at `/` from web/dist, with a fallback to index.html for the client's
 * own routes (/cases/…, /window/…) when a browser navigates there. Requests that do not ask for
 * HTML, and every unknown /api path, still get the problem+json 404.
 */
export async function consolePlugin(app: FastifyInstance, opts: { root?: string } = {}): Promise<void> {
  const root = opts.root ?? CONSOLE_DIR;
  const built = existsSync(path.join(root, 'index.html'));

  app.addHook('onSend', async (_request, reply, payload) => {
    void reply.header('content-security-policy', CONSOLE_CSP);
    return payload;
  });

  if (built) {
    await app.register(fastifyStatic, {
      root,
      prefix: '/',
      wildcard: false,
      index: 'index.html',
      schemaHide: true,
      setHeaders: (reply, file) => {
        // File names under assets/ carry a content hash; the page itself must be revalidated.
        void reply.header(
          'cache-control',
          file.includes(`${path.sep}assets${path.sep}`) ? 'public, max-age=31536000, immutable' : 'no-cache',
        );
      },
    });
  }

  const page = async (request: FastifyRequest, reply: FastifyReply) => {
    const accepts = request.headers.accept ?? '';
    if (NOT_CONSOLE.test(request.url) || !accepts.includes('text/html'))
      throw new HttpProblem(404, 'route_not_found', `no route ${request.method} ${request.url.split('?')[0]}`);
    if (!built)
      throw new HttpProblem(503, 'console_not_built', 'the web console is not built: run `npm run build:web`');
    void reply.header('cache-control', 'no-cache');
    return reply.sendFile('index.html');
  };
  app.get('/*', { schema: { hide: true } }, page);
  if (!built) app.get('/', { schema: { hide: true } }, page);
}
