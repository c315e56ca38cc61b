import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { DomainError } from '../../domain/errors';
import { HttpProblem, problemBody } from '../problem';
import { REFUSAL_STATUS } from '../refusal-status';
import { RETRY_AFTER_SECONDS, unavailableOf } from '../unavailable';

/** Fastify's own errors that are the client's fault, mapped to stable codes. */
const FASTIFY_CODES: Record<string, [number, string]> = {
  FST_ERR_CTP_INVALID_JSON_BODY: [400, 'malformed_json'],
  FST_ERR_CTP_EMPTY_JSON_BODY: [400, 'malformed_json'],
  FST_ERR_CTP_BODY_TOO_LARGE: [413, 'payload_too_large'],
  FST_ERR_CTP_INVALID_MEDIA_TYPE: [415, 'unsupported_media_type'],
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: [400, 'invalid_content_length'],
  FST_ERR_INVALID_URL: [400, 'invalid_url'],
  FST_ERR_BAD_URL: [400, 'invalid_url'],
  FST_JWT_NO_AUTHORIZATION_IN_HEADER: [401, 'unauthorized'],
  FST_JWT_AUTHORIZATION_TOKEN_EXPIRED: [401, 'token_expired'],
  FST_JWT_AUTHORIZATION_TOKEN_INVALID: [401, 'unauthorized'],
  FST_JWT_AUTHORIZATION_TOKEN_UNTRUSTED: [401, 'unauthorized'],
  FST_JWT_BAD_REQUEST: [401, 'unauthorized'],
};

function toProblem(err: FastifyError | Error): { status: number; code: string; detail: string } {
  // A part down (PostgreSQL restarting, Temporal unreachable) is the service's state, not a bug: 503.
  const down = unavailableOf(err);
  if (down) return { status: 503, code: down.code, detail: down.message };
  if (err instanceof HttpProblem) return { status: err.status, code: err.code, detail: err.message };
  if (err instanceof DomainError) return { status: REFUSAL_STATUS[err.code], code: err.code, detail: err.message };
  const fe = err as FastifyError;
  if (fe.validation) return { status: 400, code: 'validation_failed', detail: err.message };
  if (fe.code && FASTIFY_CODES[fe.code]) {
    const [status, code] = FASTIFY_CODES[fe.code]!;
    return { status, code, detail: err.message };
  }
  if (fe.statusCode === 429) return { status: 429, code: 'rate_limited', detail: err.message };
  if (fe.statusCode && fe.statusCode >= 400 && fe.statusCode < 500)
    return { status: fe.statusCode, code: 'bad_request', detail: err.message };
  return { status: 500, code: 'internal_error', detail: 'an unexpected error occurred' };
}

/** Answers an error as problem+json; 5xx are logged as errors, refusals at info level. */
export function sendProblem(err: FastifyError | Error, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const problem = toProblem(err as FastifyError);
  if (problem.status === 503) {
    request.log.warn({ detail: problem.detail }, 'service unavailable');
    void reply.header('retry-after', String(RETRY_AFTER_SECONDS));
  } else if (problem.status >= 500) request.log.error({ err }, 'request failed');
  else request.log.info({ code: problem.code }, 'request refused');
  return reply
    .status(problem.status)
    .type('application/problem+json')
    .send(problemBody(problem.status, problem.code, problem.detail));
}

/** The one error handler: every refusal leaves as problem+json with a stable code. */
export const errorsPlugin = fp(async (app: FastifyInstance) => {
  app.setErrorHandler((err, request, reply) => sendProblem(err as FastifyError, request, reply));
  app.setNotFoundHandler((request, reply) =>
    reply
      .status(404)
      .type('application/problem+json')
      .send(problemBody(404, 'route_not_found', `no route ${request.method} ${request.url.split('?')[0]}`)),
  );
});
