import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { HttpProblem } from './problem';
import { callerScope, type Answer, type Receiving } from './services/case-service';

declare module 'fastify' {
  interface FastifyRequest {
    /** When this API received the request (server clock, epoch ms): the legal time of its act. */
    receivedAt: number;
  }
}

/** Stamps every request with its receipt time, first thing (before authentication and body parsing). */
export const receiptTimePlugin = fp(async (app: FastifyInstance) => {
  app.decorateRequest('receivedAt', 0);
  app.addHook('onRequest', async (request) => {
    request.receivedAt = Date.now();
  });
});

/** The Idempotency-Key header (one value; the schema checks its form). */
export function idempotencyHeader(request: FastifyRequest): string | undefined {
  const value = request.headers['idempotency-key'];
  if (Array.isArray(value)) throw new HttpProblem(400, 'invalid_idempotency_key', 'send one Idempotency-Key');
  return value === undefined || value === '' ? undefined : value;
}

/** JSON with object keys sorted, so that the same body always has the same fingerprint. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object')
    return `{${Object.keys(value)
      .sort()
      .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
      .map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  return JSON.stringify(value);
}

/** Who sends the command, with which key, what exactly (method, path, body) and when it arrived. */
export function receiving(request: FastifyRequest): Receiving {
  const key = idempotencyHeader(request);
  const path = request.url.split('?')[0];
  return {
    scope: callerScope(request.actor),
    key,
    keyFromHeader: key !== undefined,
    fingerprint: createHash('sha256')
      .update(`${request.method} ${path}\n${canonical(request.body ?? null)}`)
      .digest('hex'),
    receivedAt: request.receivedAt || Date.now(),
  };
}

/** Sends a command's answer; a refusal stays problem+json, and a replay says so. */
export function send(reply: FastifyReply, answer: Answer): FastifyReply {
  if (answer.replayed) void reply.header('idempotent-replayed', 'true');
  if (answer.status >= 400) void reply.type('application/problem+json');
  return reply.status(answer.status).send(answer.body);
}
