import { describe, expect, it } from 'vitest';
import { checkClaims } from '../../api/claims';

const now = 2_000_000_000;
const policy = { maxLifetimeSeconds: 12 * 3600, nowSeconds: now };
const good = { sub: 'w1', name: '窗口一', role: 'window', dept: 'WIN', iat: now, exp: now + 3600 };
const code = (claims: Record<string, unknown>) => {
  const r = checkClaims(claims, policy);
  return 'code' in r ? r.code : 'ok';
};

describe('token claims are input like any other', () => {
  it('takes well-formed claims as the actor', () => {
    expect(checkClaims(good, policy)).toEqual({ sub: 'w1', name: '窗口一', role: 'window', dept: 'WIN' });
    expect(code({ sub: 's', role: 'supervisor', exp: now + 60 })).toBe('ok');
  });

  it('refuses NUL, control characters and lone surrogates in sub, name and dept', () => {
    for (const bad of ['a\u0000b', 'a\u0007', '\ud800', 'x\udc00y']) {
      expect(code({ ...good, sub: bad }), JSON.stringify(bad)).toBe('invalid_claims');
      expect(code({ ...good, name: bad }), JSON.stringify(bad)).toBe('invalid_claims');
      expect(code({ ...good, dept: bad }), JSON.stringify(bad)).toBe('invalid_claims');
    }
    expect(code({ ...good, sub: '😀' })).toBe('ok'); // a surrogate pair is a character
  });

  it('refuses wrong types and lengths beyond the limits', () => {
    expect(code({ ...good, sub: 'x'.repeat(10_000) })).toBe('invalid_claims');
    expect(code({ ...good, sub: 'x'.repeat(128) })).toBe('ok');
    expect(code({ ...good, name: 'x'.repeat(201) })).toBe('invalid_claims');
    expect(code({ ...good, dept: 'D'.repeat(65) })).toBe('invalid_claims');
    expect(code({ ...good, sub: 42 })).toBe('invalid_claims');
    expect(code({ ...good, sub: '' })).toBe('invalid_claims');
    expect(code({ ...good, name: ['a'] })).toBe('invalid_claims');
    expect(code({ ...good, dept: { code: 'WIN' } })).toBe('invalid_claims');
    expect(code({ ...good, dept: 'WIN OFFICE' })).toBe('invalid_claims');
    expect(code({ ...good, role: 'root' })).toBe('invalid_claims');
    expect(code({ ...good, role: 'department', dept: undefined })).toBe('invalid_claims');
  });

  it('requires exp, and refuses a lifetime beyond the maximum', () => {
    expect(code({ ...good, exp: undefined })).toBe('token_without_exp');
    expect(code({ ...good, exp: String(now + 60) })).toBe('token_without_exp');
    expect(code({ ...good, exp: now + 100 * 365 * 86400 })).toBe('token_lifetime_too_long');
    expect(code({ ...good, iat: undefined, exp: now + 13 * 3600 })).toBe('token_lifetime_too_long');
    expect(code({ ...good, iat: now - 30 * 3600, exp: now + 3600 })).toBe('token_lifetime_too_long');
    expect(code({ ...good, iat: now, exp: now + 12 * 3600 })).toBe('ok');
  });
});
