import { createSigner } from 'fast-jwt';

export interface StaffTokenClaims {
  role: string;
  dept?: string;
  /** Defaults to `<role>-<dept or x>`. */
  sub?: string;
  /** Defaults to the sub. */
  name?: string;
}

/** What the API checks a token against (config/index.ts): the secret, and iss/aud when configured. */
export interface StaffTokenIssuer {
  jwtSecret: string;
  jwtIssuer?: string | undefined;
  jwtAudience?: string | undefined;
}

/**
 * The one way tests and scripts sign a staff token the API accepts: HS256 with the API's secret,
 * an `exp` (an hour unless told; the API refuses tokens without one or living past
 * JWT_MAX_LIFETIME_SECONDS), `iss`/`aud` when the API is configured with them, `sub`, `name`, `role`
 * and, for window and department staff, `dept`. (Tests that forge bad tokens on purpose sign their own.)
 */
export function staffTokenSigner(issuer: StaffTokenIssuer, expiresIn: number | string = 3_600_000) {
  const sign = createSigner({
    key: issuer.jwtSecret,
    algorithm: 'HS256',
    expiresIn,
    ...(issuer.jwtIssuer ? { iss: issuer.jwtIssuer } : {}),
    ...(issuer.jwtAudience ? { aud: issuer.jwtAudience } : {}),
  });
  return ({ role, dept, sub, name }: StaffTokenClaims): string => {
    const subject = sub ?? `${role}-${dept ?? 'x'}`;
    return sign({ sub: subject, name: name ?? subject, role, ...(dept ? { dept } : {}) });
  };
}
