import fastifyJwt from '@fastify/jwt';
import type { FastifyInstance, FastifyRequest } from 'fastify';
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
    /** preHandler: a valid token of one of these roles (any staff role when none given). */
    requireRole(...roles: StaffRole[]): (request: FastifyRequest) => Promise<void>;
  }
  interface FastifyRequest {
    actor: Actor;
  }
}

function claimsProblem(claims: Partial<StaffClaims>): string | undefined {
  if (typeof claims.sub !== 'string' || !claims.sub) return 'token has no sub';
  if (!ROLES.includes(claims.role as StaffRole)) return 'token has no valid role';
  if ((claims.role === 'window' || claims.role === 'department') && (typeof claims.dept !== 'string' || !claims.dept)) return `a ${claims.role} token needs dept`;
  return undefined;
}

/** HS256 bearer tokens signed with JWT_SECRET, claims sub, name, role, dept (api.md). */
export const authPlugin = fp(async (app: FastifyInstance, opts: { secret: string }) => {
  await app.register(fastifyJwt, { secret: opts.secret, sign: { algorithm: 'HS256' }, verify: { algorithms: ['HS256'] } });
  app.decorateRequest('actor', null as unknown as Actor);
  app.decorate('requireRole', (...roles: StaffRole[]) => async (request: FastifyRequest) => {
    try {
      await request.jwtVerify();
    } catch (err) {
      const code = (err as { code?: string }).code;
      if (code === 'FST_JWT_AUTHORIZATION_TOKEN_EXPIRED') throw new HttpProblem(401, 'token_expired', 'the token has expired');
      throw unauthorized();
    }
    const claims = request.user;
    const problem = claimsProblem(claims);
    if (problem) throw unauthorized(problem);
    if (roles.length && !roles.includes(claims.role)) throw forbiddenRole(`this needs the role ${roles.join(' or ')}`);
    request.actor = { sub: claims.sub, role: claims.role, ...(claims.dept ? { dept: claims.dept } : {}), ...(claims.name ? { name: claims.name } : {}) };
  });
});
