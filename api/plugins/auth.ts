import fastifyJwt from '@fastify/jwt';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { Actor } from '../../domain/types';
import { checkClaims, isRefusal, type StaffClaims, type StaffRole } from '../claims';
import { DepartmentDirectory } from '../department-directory';
import { HttpProblem, forbiddenRole, unauthorized } from '../problem';

export type { StaffClaims, StaffRole } from '../claims';

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
    /** The catalog's department codes, cached for the token check. */
    departments: DepartmentDirectory;
  }
  interface FastifyRequest {
    actor: Actor;
  }
}

export interface AuthOptions {
  secret: string;
  failuresPerMinute?: number;
  maxLifetimeSeconds: number;
  issuer?: string;
  audience?: string;
}

/** fast-jwt's verification errors, as the codes a client reads. */
function verifyProblem(err: unknown): HttpProblem {
  const code = (err as { code?: string }).code;
  if (code === 'FST_JWT_AUTHORIZATION_TOKEN_EXPIRED')
    return new HttpProblem(401, 'token_expired', 'the token has expired');
  const message = String((err as Error)?.message ?? '');
  if (/iss/i.test(message) && /claim/i.test(message))
    return new HttpProblem(
      401,
      'invalid_issuer',
      'the token was not issued by the issuer this API trusts (JWT_ISSUER)',
    );
  if (/aud/i.test(message) && /claim/i.test(message))
    return new HttpProblem(401, 'invalid_audience', 'the token is not meant for this API (JWT_AUDIENCE)');
  return unauthorized();
}

/**
 * HS256 bearer tokens signed with JWT_SECRET, claims sub, name, role, dept (api.md), exp required.
 * Checked in onRequest, before the body is read: an unauthenticated caller learns nothing about
 * validation and costs no parsing. Every claim is validated like input (api/claims.ts), and a
 * window's or department's `dept` must be in the catalog. Failed authentications are counted per
 * client IP; past `failuresPerMinute` in a minute they are answered 429 (valid tokens are never counted).
 */
export const authPlugin = fp(async (app: FastifyInstance, opts: AuthOptions) => {
  await app.register(fastifyJwt, {
    secret: opts.secret,
    // Tokens this API signs (the console's dev sign-in) live a working day at most.
    sign: {
      algorithm: 'HS256',
      expiresIn: Math.min(opts.maxLifetimeSeconds, 12 * 3600) * 1000,
      ...(opts.issuer ? { iss: opts.issuer } : {}),
      ...(opts.audience ? { aud: opts.audience } : {}),
    },
    verify: {
      algorithms: ['HS256'],
      ...(opts.issuer ? { allowedIss: opts.issuer } : {}),
      ...(opts.audience ? { allowedAud: opts.audience } : {}),
      // fast-jwt checks iss/aud only when present; when configured, a token must carry them.
      requiredClaims: [...(opts.issuer ? ['iss'] : []), ...(opts.audience ? ['aud'] : [])],
    },
  });
  app.decorateRequest('actor', null as unknown as Actor);
  app.decorate('departments', new DepartmentDirectory(app.db));
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
    // The verified token's claims, not yet checked: typed as what they are until checkClaims has read them.
    let claims: Record<string, unknown>;
    try {
      claims = await request.jwtVerify<Record<string, unknown>>();
    } catch (err) {
      return refuse(request, reply, verifyProblem(err));
    }
    const checked = checkClaims(claims, {
      maxLifetimeSeconds: opts.maxLifetimeSeconds,
      nowSeconds: Math.floor(Date.now() / 1000),
    });
    if (isRefusal(checked)) return refuse(request, reply, new HttpProblem(401, checked.code, checked.detail));
    if ((checked.role === 'window' || checked.role === 'department') && !(await app.departments.has(checked.dept!)))
      return refuse(
        request,
        reply,
        new HttpProblem(401, 'unknown_department', `the token's dept ${checked.dept} is not in the catalog`),
      );
    if (roles.length && !roles.includes(checked.role as StaffRole))
      throw forbiddenRole(`this needs the role ${roles.join(' or ')}`);
    request.actor = checked;
  });
});
