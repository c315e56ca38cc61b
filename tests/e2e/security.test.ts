import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { createSigner } from 'fast-jwt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../config';
import { createLogger } from '../../config/logger';
import { caseFactory } from '../support/cases';
import { caller, seedMatter, type MatterSetup } from '../support/http';
import { startSystem, unique, type TestSystem } from '../support/system';

describe('security: claims, token lifetime, catalog departments, headers, logs, dev secret', () => {
  let sys: TestSystem;
  let m: MatterSetup;
  let sign: (claims: Record<string, unknown>) => string;
  beforeAll(async () => {
    sys = await startSystem({ listen: true, env: { AUTH_FAILURES_PER_MINUTE: '100000' } });
    m = await seedMatter(sys, unique('S'));
    sign = createSigner({ key: sys.config.jwtSecret, algorithm: 'HS256', expiresIn: 3_600_000 });
  });
  afterAll(async () => sys?.stop());

  it('a NUL or lone surrogate in sub, a 5 KB sub: 401 invalid_claims, and the case still takes commands', async () => {
    const c = await caseFactory(sys, m).make('in_review');
    const lead = (sub: string) => caller(sys, sign({ sub, name: sub, role: 'department', dept: m.lead }));
    for (const sub of ['lead\u0000one', 'lead\ud800', 'x'.repeat(5_000)]) {
      const res = await lead(sub).post(`/api/cases/${c.caseNo}/opinions`, { verdict: 'approve' });
      expect(res.status).toBe(401);
      expect(res.body.code).toBe('invalid_claims');
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    }
    const fine = await lead('lead-one').post(`/api/cases/${c.caseNo}/opinions`, { verdict: 'approve' });
    expect(fine.status).toBe(200);
    expect(fine.body.departments.find((d: { dept: string }) => d.dept === m.lead).status).toBe('given');
  });

  it('a NUL in a department token’s dept: 401 on GET /api/tasks and /api/cases, never 500', async () => {
    const token = sign({ sub: 'd1', role: 'department', dept: `${m.lead}\u0000` });
    for (const url of ['/api/tasks', '/api/cases', '/api/inbox']) {
      const res = await caller(sys, token).get(url);
      expect(`${url} ${res.status} ${res.body.code}`).toBe(`${url} 401 invalid_claims`);
    }
    const supervisor = caller(sys, sys.token('supervisor'));
    for (const url of ['/api/tasks?dept=%00', '/api/cases?dept=A%00'])
      expect((await supervisor.get(url)).status).toBe(400);
  });

  it('exp is required and a lifetime past JWT_MAX_LIFETIME_SECONDS refused', async () => {
    const claims = { sub: 's1', role: 'supervisor' };
    const noExp = createSigner({ key: sys.config.jwtSecret, algorithm: 'HS256' })(claims);
    const century = createSigner({ key: sys.config.jwtSecret, algorithm: 'HS256', expiresIn: 100 * 365 * 86_400_000 })(
      claims,
    );
    const noExpRes = await caller(sys, noExp).get('/api/supervision/cases');
    expect([noExpRes.status, noExpRes.body.code]).toEqual([401, 'token_without_exp']);
    const centuryRes = await caller(sys, century).get('/api/supervision/cases');
    expect([centuryRes.status, centuryRes.body.code]).toEqual([401, 'token_lifetime_too_long']);
    expect((await caller(sys, sign(claims)).get('/api/supervision/cases')).status).toBe(200);

    const own = await startSystem({ env: { JWT_MAX_LIFETIME_SECONDS: '600' } });
    try {
      const hour = createSigner({ key: own.config.jwtSecret, algorithm: 'HS256', expiresIn: 3_600_000 })(claims);
      const tenMinutes = createSigner({ key: own.config.jwtSecret, algorithm: 'HS256', expiresIn: 600_000 })(claims);
      expect((await caller(own, hour).get('/api/supervision/cases')).body.code).toBe('token_lifetime_too_long');
      expect((await caller(own, tenMinutes).get('/api/supervision/cases')).status).toBe(200);
    } finally {
      await own.stop();
    }
  });

  it('JWT_ISSUER and JWT_AUDIENCE, when set, are checked', async () => {
    const own = await startSystem({
      env: { JWT_ISSUER: 'https://idp.example.gov.cn', JWT_AUDIENCE: 'joint-approval' },
    });
    try {
      const signer = (extra: Record<string, unknown>) =>
        createSigner({ key: own.config.jwtSecret, algorithm: 'HS256', expiresIn: 600_000, ...extra })({
          sub: 's1',
          role: 'supervisor',
        });
      const get = async (token: string) => {
        const res = await caller(own, token).get('/api/supervision/cases');
        return `${res.status} ${res.body.code ?? ''}`.trim();
      };
      expect(await get(signer({}))).toBe('401 invalid_issuer');
      expect(await get(signer({ iss: 'https://evil.example', aud: 'joint-approval' }))).toBe('401 invalid_issuer');
      expect(await get(signer({ iss: 'https://idp.example.gov.cn' }))).toBe('401 invalid_audience');
      expect(await get(signer({ iss: 'https://idp.example.gov.cn', aud: 'other-app' }))).toBe('401 invalid_audience');
      expect(await get(signer({ iss: 'https://idp.example.gov.cn', aud: 'joint-approval' }))).toBe('200');
      // The staff tokens of `npm run token` and the tests (scripts/infra/staff-token.ts) carry them.
      expect(await get(own.token('supervisor'))).toBe('200');
      // Without them set (the shared system), tokens with or without iss/aud are all fine.
      expect(
        (await caller(sys, sign({ sub: 's', role: 'supervisor', iss: 'x', aud: 'y' })).get('/api/tasks')).status,
      ).toBe(200);
    } finally {
      await own.stop();
    }
  });

  it('a window’s or department’s dept must be in the catalog; a department an admin adds works at once', async () => {
    const code = unique('NEW');
    const dept = caller(sys, sys.token('department', code));
    const refused = await dept.get('/api/tasks');
    expect([refused.status, refused.body.code]).toEqual([401, 'unknown_department']);
    const window = await caller(sys, sys.token('window', unique('NOWIN'))).post('/api/cases', {
      matterCode: m.matterCode,
      applicant: { name: '张三' },
      materials: [],
    });
    expect([window.status, window.body.code]).toEqual([401, 'unknown_department']);
    expect((await caller(sys, sys.token('admin')).put(`/api/departments/${code}`, { name: '新部门' })).status).toBe(
      200,
    );
    expect((await dept.get('/api/tasks')).status).toBe(200);
    // Supervisors and admins need no dept.
    expect((await caller(sys, sys.token('supervisor')).get('/api/tasks')).status).toBe(200);
  });

  it('Cache-Control: no-store on case data and every authenticated answer; a strict CSP on the docs and answers', async () => {
    const c = await caseFactory(sys, m).make('in_review');
    const supervisor = caller(sys, sys.token('supervisor'));
    const answers = {
      case: await supervisor.get(`/api/cases/${c.caseNo}`),
      events: await supervisor.get(`/api/cases/${c.caseNo}/events`),
      list: await supervisor.get('/api/cases'),
      departments: await supervisor.get('/api/departments'),
      refusal: await caller(sys).get('/api/cases'),
      public: await caller(sys).get(`/api/public/cases/${c.caseNo}?code=${c.queryCode}`),
    };
    for (const [what, res] of Object.entries(answers)) expect(res.headers['cache-control'], what).toBe('no-store');
    for (const url of ['/docs/', '/api/departments', '/health']) {
      const res = await caller(sys, sys.token('admin')).get(url);
      const csp = String(res.headers['content-security-policy']);
      expect(csp, url).toContain("default-src 'self'");
      expect(csp, url).toContain("script-src 'self';");
      expect(csp, url).not.toMatch(/script-src[^;]*unsafe-inline/);
      expect(csp, url).toContain("object-src 'none'");
      expect(csp, url).toContain("frame-ancestors 'none'");
    }
    const docs = await caller(sys).get('/docs/');
    expect(docs.status).toBe(200);
    expect(String(docs.body)).not.toMatch(/<script>(?!\s*<\/script>)|<script(?![^>]*\bsrc=)[^>]*>[^<]/); // no inline script
  });

  it('tokens in a URL (?access_token= and the like) never reach the log', async () => {
    const lines: string[] = [];
    const stream = new Writable({
      write(chunk, _encoding, done) {
        lines.push(String(chunk));
        done();
      },
    });
    const own = await startSystem({ logger: createLogger('info', 'api', stream) });
    try {
      const token = own.token('supervisor');
      for (const param of ['access_token', 'token', 'api_key', 'jwt'])
        await caller(own).get(`/api/cases?limit=1&${param}=${token}`);
      const log = lines.join('');
      expect(log).toContain('access_token=[Redacted]');
      expect(log).toContain('api_key=[Redacted]');
      expect(log).not.toContain(token.split('.')[2]);
    } finally {
      await own.stop();
    }
  });

  it('without JWT_SECRET outside production: a random secret made once in .data/ (0600); loopback by default', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'ja-secret-'));
    try {
      const first = loadConfig({ DATA_DIR: dir });
      const file = path.join(dir, 'jwt-secret');
      expect(statSync(file).mode & 0o777).toBe(0o600);
      expect(first.jwtSecret).toMatch(/^[0-9a-f]{64}$/);
      expect(readFileSync(file, 'utf8').trim()).toBe(first.jwtSecret);
      expect(loadConfig({ DATA_DIR: dir }).jwtSecret).toBe(first.jwtSecret);
      expect(first.jwtSecret).not.toBe('dev-only-secret-change-me-0123456789abcdef');
      expect(first.host).toBe('127.0.0.1');
      expect(loadConfig({ DATA_DIR: dir, HOST: '0.0.0.0' }).host).toBe('0.0.0.0');
      expect(() => loadConfig({ NODE_ENV: 'production', DATA_DIR: dir })).toThrow(/JWT_SECRET is required/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
