import { createSigner } from 'fast-jwt';

export interface StaffTokenClaims {
  role: string;
  dept?: string;
  /** Defaults to `<role>-<dept or x>`. */
  sub?: string;
  /** Defaults to the sub. */
  name?: string;
}

/**
 * The one way tests and scripts sign a staff token the API accepts: HS256 with the API's secret,
 * an `exp` (an hour unless told), `sub`, `name`, `role` and, for window and department staff, `dept`.
 * (Tests that forge bad tokens on purpose sign their own.)
 */
export function staffTokenSigner(secret: string, expiresIn: number | string = 3_600_000) {
  const sign = createSigner({ key: secret, algorithm: 'HS256', expiresIn });
  return ({ role, dept, sub, name }: StaffTokenClaims): string => {
    const subject = sub ?? `${role}-${dept ?? 'x'}`;
    return sign({ sub: subject, name: name ?? subject, role, ...(dept ? { dept } : {}) });
  };
}
