import fastifyJwt from '@fastify/jwt';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { Actor } from '../../domain/types';
import { HttpProblem, forbiddenRole, unauthorized } from '../problem';

export type StaffRole = 'window' | 'department' | 'supervisor' | 'admin';
const ROLES: readonly StaffRole[] = ['window', 'department', 'supervisor', 'admin'];

export interface StaffClaims {
  sub: string;
  name?: string;
  role: StaffRole;
  dept?: string;
}

declare module '@fastify/jwt' {
  interface FastifyJWT {
    payload: StaffClaims;
    user: StaffClaims;
  }
}

declare module 'fastify' {
  interface FastifyInstance {
    /** onRequest hook: a valid token of one of these roles (any staff role when none given). */
    requireRole(...roles: StaffRole[]): (request: FastifyRequest, reply: FastifyReply) => Promise<void>;
  }
  interface FastifyRequest {
    actor: Actor;
  }
}

function claimsProblem(claims: Partial<StaffClaims>): string | undefined {
  if (typeof claims.sub !== 'string' || !claims.sub) return 'token has no sub';
  if (!ROLES.includes(claims.role as StaffRole)) return 'token has no valid role';
  if ((claims.role === 'window' || claims.role === 'department') && (typeof claims.dept !== 'string' || !claims.dept))
    return `a ${claims.role} token needs dept`;
  return undefined;
}

/**
 * HS256 bearer tokens signed with JWT_SECRET, claims sub, name, role, dept (api.md).
 * Checked in onRequest, before the body is read: an unauthenticated caller learns nothing about
 * validation and costs no parsing. Failed authentications are counted per client IP; past
 * `failuresPerMinute` in a minute they are answered 429 (valid tokens are never counted).
 */
export const authPlugin = fp(async (app: FastifyInstance, opts: { secret: string; failuresPerMinute?: number }) => {
  await app.register(fastifyJwt, {
    secret: opts.secret,
    sign: { algorithm: 'HS256' },
    verify: { algorithms: ['HS256'] },
  });
  app.decorateRequest('actor', null as unknown as Actor);
  const failures = app.createRateLimit({
    max: opts.failuresPerMinute ?? 100,
    timeWindow: 60_000,
    keyGenerator: (request) => `auth-failure|${request.ip}`,
  });

  async function refuse(request: FastifyRequest, reply: FastifyReply, problem: HttpProblem): Promise<never> {
    const limit = await failures(request);
    if (!limit.isAllowed && limit.isExceeded) {
      void reply.header('retry-after', String(limit.ttlInSeconds));
      throw new HttpProblem(429, 'rate_limited', `too many failed authentications; retry in ${limit.ttlInSeconds} s`);
    }
    // RFC 6750: a 401 names the scheme, and says when a token was given but is not good.
    void reply.header('www-authenticate', request.headers.authorization ? 'Bearer error="invalid_token"' : 'Bearer');
    throw problem;
  }

  app.decorate('requireRole', (...roles: StaffRole[]) => async (request: FastifyRequest, reply: FastifyReply) => {
    try {
      await request.jwtVerify();
    } catch (err) {
      const code = (err as { code?: string }).code;
      return refuse(
        request,
        reply,
        code === 'FST_JWT_AUTHORIZATION_TOKEN_EXPIRED'
          ? new HttpProblem(401, 'token_expired', 'the token has expired')
          : unauthorized(),
      );
    }
    const claims = request.user;
    const problem = claimsProblem(claims);
    if (problem) return refuse(request, reply, unauthorized(problem));
    if (roles.length && !roles.includes(claims.role)) throw forbiddenRole(`this needs the role ${roles.join(' or ')}`);
    request.actor = {
      sub: claims.sub,
      role: claims.role,
      ...(claims.dept ? { dept: claims.dept } : {}),
      ...(claims.name ? { name: claims.name } : {}),
    };
  });
});
