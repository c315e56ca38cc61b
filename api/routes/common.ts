import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { Problem } from '../schemas';
import type { StaffRole } from '../plugins/auth';

/** Refusals leave as application/problem+json (RFC 9457); documented so for each status. */
export const problems = (...statuses: number[]) =>
  Object.fromEntries(
    statuses.map((s) => [
      s,
      { description: 'problem details', content: { 'application/problem+json': { schema: Problem } } },
    ]),
  );
/** The refusals every authenticated route may give; 503 `service_unavailable` (with Retry-After) when a part is down. */
export const STAFF_ERRORS = problems(400, 401, 403, 404, 409, 413, 415, 422, 429, 503);

/** Route options for staff routes: bearer security in the docs and the role check (before the body is read). */
export function staff(app: FastifyInstance, roles: StaffRole[], tags: string[]) {
  return { onRequest: app.requireRole(...roles), schema: { tags, security: [{ bearer: [] }] } };
}

export const Ok = Type.Object({ ok: Type.Boolean() });
