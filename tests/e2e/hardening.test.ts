import { Writable } from 'node:stream';
import { createSigner } from 'fast-jwt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../config';
import { createLogger } from '../../config/logger';
import { badTokens, caseFactory } from '../support/cases';
import { caller, seedMatter, type Reply } from '../support/http';
import { startSystem, unique, type TestSystem } from '../support/system';

const HELMET_HEADERS: Record<string, string | RegExp> = {
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'SAMEORIGIN',
  'strict-transport-security': /max-age=\d+/,
  'referrer-policy': 'no-referrer',
  'x-dns-prefetch-control': 'off',
  'x-download-options': 'noopen',
  'x-permitted-cross-domain-policies': 'none',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
  'origin-agent-cluster': '?1',
  'x-xss-protection': '0',
};

describe('hardening', () => {
  let sys: TestSystem;
  beforeAll(async () => {
    sys = await startSystem({ listen: true });
  });
  afterAll(async () => sys?.stop());

  it('security headers on every kind of answer: JSON, problem+json, 404, docs, public, metrics; no x-powered-by', async () => {
    const answers: [string, Reply][] = [
      ['200 json', await caller(sys, sys.token('admin')).get('/api/departments')],
      ['401 problem', await caller(sys).get('/api/cases')],
      ['403 problem', await caller(sys, sys.token('window', 'WIN')).put('/api/departments/X', { name: 'x' })],
      ['404 route', await caller(sys).get('/no/such/route')],
      ['400 malformed', await caller(sys, sys.token('window', 'WIN')).post('/api/cases', '{')],
      ['public 404', await caller(sys).get('/api/public/cases/JA1?code=1')],
      ['health', await caller(sys).get('/health')],
      ['metrics', await caller(sys).get('/metrics')],
      ['openapi', await caller(sys).get('/openapi.json')],
      ['docs', await caller(sys).get('/docs/')],
    ];
    for (const [what, res] of answers) {
      for (const [header, value] of Object.entries(HELMET_HEADERS)) {
        expect(res.headers[header], `${what}: ${header}`).toMatch(
          value instanceof RegExp ? value : new RegExp(`^${value.replace(/[?]/g, '\\?')}$`),
        );
      }
      expect(res.headers['x-powered-by'], what).toBeUndefined();
      expect(res.status, what).toBeLessThan(500);
    }
  });

  it('rate-limits failed authentication per IP (300 a minute by default), counting only failures', async () => {
    expect(loadConfig({ JWT_SECRET: 'k'.repeat(32) }).authFailuresPerMinute).toBe(300);
    const own = await startSystem({ listen: true, env: { AUTH_FAILURES_PER_MINUTE: '100' } });
    try {
      expect(own.config.authFailuresPerMinute).toBe(100);
      // Plenty of good traffic first: never limited.
      const good = await Promise.all(
        Array.from({ length: 150 }, () => caller(own, own.token('supervisor')).get('/api/departments')),
      );
      expect(new Set(good.map((r) => r.status))).toEqual(new Set([200]));

      const { wrongSecret, expired } = badTokens();
      const failures: Reply[] = [];
      for (let i = 0; i < 100; i++)
        failures.push(
          await caller(own, i % 3 === 0 ? expired : i % 3 === 1 ? wrongSecret : 'garbage').get('/api/cases'),
        );
      expect(new Set(failures.map((r) => r.status))).toEqual(new Set([401]));

      const limited = await caller(own, wrongSecret).get('/api/cases');
      expect(limited.status).toBe(429);
      expect(limited.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(limited.body).toMatchObject({ status: 429, code: 'rate_limited' });
      expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
      // Every kind of failure is limited now, also without any token, also with spoofed forwarding headers…
      expect(
        (await caller(own).post('/api/cases', { matterCode: 'X', applicant: { name: 'a' }, materials: [] })).status,
      ).toBe(429);
      expect((await caller(own, expired).get('/api/departments')).status).toBe(429);
      const spoofed = await fetch(`${own.baseUrl}/api/cases`, {
        headers: { authorization: `Bearer ${wrongSecret}`, 'x-forwarded-for': '198.51.100.1' },
      });
      expect(spoofed.status).toBe(429);
      // …while a valid token still gets through, and the public progress query is not affected.
      expect((await caller(own, own.token('supervisor')).get('/api/departments')).status).toBe(200);
      expect((await caller(own).get('/api/public/cases/JA1?code=12345678')).status).toBe(404);
    } finally {
      await own.stop();
    }
  });

  it('AUTH_FAILURES_PER_MINUTE configures the limit', async () => {
    const own = await startSystem({ listen: true, env: { AUTH_FAILURES_PER_MINUTE: '3' } });
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 5; i++) statuses.push((await caller(own).get('/api/departments')).status);
      expect(statuses).toEqual([401, 401, 401, 429, 429]);
    } finally {
      await own.stop();
    }
  });

  it('behind a proxy named in TRUST_PROXY the limit is per forwarded client, not per proxy', async () => {
    const own = await startSystem({ listen: true, env: { AUTH_FAILURES_PER_MINUTE: '2', TRUST_PROXY: '127.0.0.1' } });
    try {
      const from = async (client: string) =>
        (await fetch(`${own.baseUrl}/api/cases`, { headers: { 'x-forwarded-for': client } })).status;
      expect([await from('203.0.113.1'), await from('203.0.113.1'), await from('203.0.113.1')]).toEqual([
        401, 401, 429,
      ]);
      expect([await from('203.0.113.2'), await from('203.0.113.2'), await from('203.0.113.2')]).toEqual([
        401, 401, 429,
      ]);
    } finally {
      await own.stop();
    }
  });

  it('honours BODY_LIMIT_BYTES: over it 413 payload_too_large, under it the request goes through', async () => {
    const own = await startSystem({ listen: true, env: { BODY_LIMIT_BYTES: '2048' } });
    try {
      expect(own.config.bodyLimitBytes).toBe(2048);
      const admin = caller(own, own.token('admin'));
      const big = await admin.put(`/api/departments/${unique('B')}`, { name: 'x'.repeat(2100) });
      expect(big.status).toBe(413);
      expect(big.body.code).toBe('payload_too_large');
      const small = await admin.put(`/api/departments/${unique('B')}`, { name: '部'.repeat(60) });
      expect(small.status).toBe(200);
    } finally {
      await own.stop();
    }
  });

  it('honours token expiry (401 token_expired) and refuses tokens not valid yet, unsigned or signed otherwise', async () => {
    const claims = { sub: 'sup-1', name: '督办', role: 'supervisor' };
    const secret = sys.config.jwtSecret;
    const shortLived = createSigner({ key: secret, algorithm: 'HS256', expiresIn: 1500 })(claims);
    expect((await caller(sys, shortLived).get('/api/supervision/cases')).status).toBe(200);
    await new Promise((r) => setTimeout(r, 2100));
    const after = await caller(sys, shortLived).get('/api/supervision/cases');
    expect(after.status).toBe(401);
    expect(after.body.code).toBe('token_expired');
    expect(after.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(after.headers['www-authenticate']).toBe('Bearer error="invalid_token"');
    expect((await caller(sys).get('/api/supervision/cases')).headers['www-authenticate']).toBe('Bearer');

    const refused = {
      notYetValid: createSigner({ key: secret, algorithm: 'HS256', notBefore: 3_600_000 })(claims),
      hs512: createSigner({ key: secret, algorithm: 'HS512' })(claims),
      unsigned: createSigner({ algorithm: 'none' })(claims),
      noSub: createSigner({ key: secret, algorithm: 'HS256' })({ role: 'supervisor' }),
      windowWithoutDept: createSigner({ key: secret, algorithm: 'HS256' })({ sub: 'w', role: 'window' }),
      truncated: createSigner({ key: secret, algorithm: 'HS256' })(claims).slice(0, -5),
    };
    const claimsRefused = new Set(['noSub', 'windowWithoutDept']);
    for (const [what, token] of Object.entries(refused)) {
      const res = await caller(sys, token).get('/api/supervision/cases');
      const code = claimsRefused.has(what) ? 'invalid_claims' : 'unauthorized';
      expect(`${what}: ${res.status} ${res.body.code}`).toBe(`${what}: 401 ${code}`);
    }
    const basic = await fetch(`${sys.baseUrl}/api/cases`, { headers: { authorization: 'Basic dXNlcjpwYXNz' } });
    expect(basic.status).toBe(401);
  });

  it('never logs secrets: bearer tokens, the query code, the JWT secret, the database URL', async () => {
    const lines: string[] = [];
    const stream = new Writable({
      write(chunk, _encoding, done) {
        lines.push(String(chunk));
        done();
      },
    });
    const own = await startSystem({ listen: true, logger: createLogger('trace', 'api', stream) });
    try {
      const m = await seedMatter(own, unique('L'));
      const c = await caseFactory(own, m).make('in_review');
      const supervisor = own.token('supervisor');
      const { wrongSecret, expired } = badTokens();
      const window = own.token('window', 'WIN');
      expect((await caller(own, supervisor).get(`/api/cases/${c.caseNo}`)).status).toBe(200);
      expect((await caller(own, wrongSecret).get('/api/cases')).status).toBe(401);
      expect((await caller(own, expired).get('/api/cases')).status).toBe(401);
      expect((await caller(own, window).post('/api/cases', '{"matterCode":')).status).toBe(400);
      expect((await caller(own, window).post(`/api/cases/${c.caseNo}/decision`, { decision: 'approve' })).status).toBe(
        403,
      );
      expect((await caller(own).get(`/api/public/cases/${c.caseNo}?code=${c.queryCode}`)).status).toBe(200);
      expect((await caller(own).get(`/api/public/cases/${c.caseNo}?code=ZZWRONG1`)).status).toBe(404);
      expect((await caller(own).get(`/api/public/cases/${c.caseNo}?x=1&code=YYWRONG2`)).status).toBe(400);
      const log = lines.join('');

      expect(lines.length).toBeGreaterThan(20);
      expect(log).toContain('incoming request');
      expect(log).toContain('request refused');
      expect(log).toContain(`/api/public/cases/${c.caseNo}?code=[Redacted]`);
      const tokens = [supervisor, wrongSecret, expired, window];
      for (const token of tokens) {
        expect(log).not.toContain(token);
        expect(log).not.toContain(token.split('.')[2]); // not even the signature
      }
      expect(log).not.toMatch(/bearer/i);
      expect(log).not.toMatch(/code=(?!\[Redacted\])/);
      expect(log).not.toMatch(new RegExp(`[^0-9.]${c.queryCode}[^0-9]`)); // the code itself, not digits of a timestamp
      expect(log).not.toContain('ZZWRONG1');
      expect(log).not.toContain('YYWRONG2');
      expect(log).not.toContain(own.config.jwtSecret);
      expect(log).not.toContain(own.config.databaseUrl);
    } finally {
      await own.stop();
    }
  });
});
