import type { Actor } from '../domain/types';
import { unstorableText } from './plugins/validation';

export type StaffRole = 'window' | 'department' | 'supervisor' | 'admin';
export const STAFF_ROLES: readonly StaffRole[] = ['window', 'department', 'supervisor', 'admin'];

/** The claims a token carries (api.md), as far as the API reads them. */
export interface StaffClaims {
  sub: string;
  name?: string;
  role: StaffRole;
  dept?: string;
  exp?: number;
  iat?: number;
}

export interface ClaimsPolicy {
  /** Longest lifetime a token may have, in seconds (exp − iat, and exp − now). */
  maxLifetimeSeconds: number;
  /** Now, in seconds since the epoch. */
  nowSeconds: number;
}

/** A refused token: 401 with this stable code and detail. */
export interface ClaimsRefusal {
  code: 'invalid_claims' | 'token_without_exp' | 'token_lifetime_too_long';
  detail: string;
}

/** Department codes as the catalog writes them (api/schemas.ts `Code`). */
const DEPT_CODE = /^[A-Za-z0-9_.-]{1,64}$/;
/** Control characters have no business in an id or a name. */
const CONTROL = /[\u0000-\u001f\u007f]/;
/** Tokens of a few seconds' clock skew are tolerated, as fast-jwt tolerates on exp. */
const SKEW_SECONDS = 60;

function textProblem(claim: string, value: unknown, max: number): string | undefined {
  if (typeof value !== 'string') return `${claim} must be a string`;
  if (value.length === 0) return `${claim} is empty`;
  if (value.length > max) return `${claim} is longer than ${max} characters`;
  if (unstorableText(value) || CONTROL.test(value)) return `${claim} holds a control character or a lone surrogate`;
  return undefined;
}

/**
 * Every claim is input like any other: checked for type, length and text PostgreSQL can store
 * before it can reach a case event. Returns the actor the claims describe, or why they are refused.
 */
export function checkClaims(claims: Record<string, unknown>, policy: ClaimsPolicy): Actor | ClaimsRefusal {
  const invalid = (detail: string): ClaimsRefusal => ({ code: 'invalid_claims', detail });
  const sub = textProblem('sub', claims.sub, 128);
  if (sub) return invalid(claims.sub === undefined ? 'token has no sub' : sub);
  if (claims.name !== undefined) {
    const name = textProblem('name', claims.name, 200);
    if (name) return invalid(name);
  }
  const role = claims.role as StaffRole;
  if (!STAFF_ROLES.includes(role)) return invalid('token has no valid role');
  const needsDept = role === 'window' || role === 'department';
  if (claims.dept !== undefined || needsDept) {
    if (claims.dept === undefined || claims.dept === '') return invalid(`a ${role} token needs dept`);
    if (typeof claims.dept !== 'string' || !DEPT_CODE.test(claims.dept))
      return invalid('dept must be a department code (letters, digits, _ . -; at most 64)');
  }
  const { exp, iat } = claims;
  if (typeof exp !== 'number' || !Number.isFinite(exp))
    return { code: 'token_without_exp', detail: 'the token must carry exp (an expiry time)' };
  const max = policy.maxLifetimeSeconds;
  const tooLong =
    exp - policy.nowSeconds > max + SKEW_SECONDS || (typeof iat === 'number' && exp - iat > max + SKEW_SECONDS);
  if (tooLong)
    return {
      code: 'token_lifetime_too_long',
      detail: `a token may live at most ${max} seconds (JWT_MAX_LIFETIME_SECONDS)`,
    };
  return {
    sub: claims.sub as string,
    role,
    ...(typeof claims.dept === 'string' ? { dept: claims.dept } : {}),
    ...(typeof claims.name === 'string' ? { name: claims.name } : {}),
  };
}

export const isRefusal = (x: Actor | ClaimsRefusal): x is ClaimsRefusal => 'code' in x && 'detail' in x;
