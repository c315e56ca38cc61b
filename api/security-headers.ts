import type { FastifyInstance } from 'fastify';

/**
 * The one Content-Security-Policy of everything this server sends: the console at `/`, the API
 * docs at `/docs` and the JSON answers. Scripts only from our own origin (no inline script, no
 * eval); styles from our origin plus inline ones, which Ant Design's CSS-in-JS and Swagger UI
 * write at run time; images and fonts from our origin or data: URIs; calls back to our own
 * origin only (the API, Server-Sent Events); never framed, no plugins, forms post only here.
 */
export const CONTENT_SECURITY_POLICY: Record<string, string[]> = {
  defaultSrc: ["'self'"],
  scriptSrc: ["'self'"],
  scriptSrcAttr: ["'none'"],
  styleSrc: ["'self'", "'unsafe-inline'"],
  imgSrc: ["'self'", 'data:'],
  fontSrc: ["'self'", 'data:'],
  connectSrc: ["'self'"],
  workerSrc: ["'self'"],
  objectSrc: ["'none'"],
  baseUri: ["'self'"],
  formAction: ["'self'"],
  frameAncestors: ["'none'"],
};

/** The policy as a header value (`default-src 'self'; script-src 'self'; …`). */
export const cspHeader = (policy: Record<string, string[]>) =>
  Object.entries(policy)
    .map(([directive, sources]) => `${directive.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)} ${sources.join(' ')}`)
    .join('; ');

/**
 * Case data and every authenticated answer may hold personal data: no browser or proxy keeps a
 * copy (`Cache-Control: no-store`). Everything under /api is such an answer, the applicant's
 * public look-up included.
 */
export function noStoreForApi(app: FastifyInstance): void {
  app.addHook('onSend', async (request, reply) => {
    if (request.url.startsWith('/api/') || request.url === '/api') void reply.header('cache-control', 'no-store');
  });
}
