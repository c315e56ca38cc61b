import { Type, type Static, type TUnsafe } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { Problem } from '../schemas';
import type { StaffRole } from '../plugins/auth';

/**
 * Refusals leave as application/problem+json (RFC 9457); documented so for each status. Typed as
 * Problem, so that with the TypeBox provider a handler's answer is checked against its success
 * schemas (an untyped entry would make every route's reply type `unknown`).
 */
/** How long to wait before trying again (RFC 9110 §10.2.3), sent with 429 and 503. */
const RETRY_AFTER = { type: 'integer', minimum: 0, description: 'seconds to wait before retrying' };

export const problems = (...statuses: number[]): Record<number, TUnsafe<Static<typeof Problem>>> =>
  Object.fromEntries(
    statuses.map((s) => [
      s,
      Type.Unsafe<Static<typeof Problem>>({
        description: 'problem details',
        content: { 'application/problem+json': { schema: Problem } },
        ...(s === 503 || s === 429 ? { headers: { 'Retry-After': RETRY_AFTER } } : {}),
      }),
    ]),
  );
/** The refusals every authenticated route may give; 503 `service_unavailable` (with Retry-After) when a part is down. */
export const STAFF_ERRORS = problems(400, 401, 403, 404, 409, 413, 415, 422, 429, 503);

/** Route options for staff routes: bearer security in the docs and the role check (before the body is read). */
export function staff(app: Pick<FastifyInstance, 'requireRole'>, roles: StaffRole[], tags: string[]) {
  return { onRequest: app.requireRole(...roles), schema: { tags, security: [{ bearer: [] }] } };
}
