import { createSigner } from 'fast-jwt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { badTokens, caseFactory } from '../support/cases';
import { caller, seedMatter, seedOwnViews } from '../support/http';
import {
  CALENDAR_TEST_YEAR,
  ROLES,
  ROUTES,
  STAFF,
  UNDOCUMENTED,
  type Ctx,
  type Role,
  type Route,
  type StaffRole,
  staffClaims,
} from '../support/routes';
import { startSystem, unique, type TestSystem } from '../support/system';

/**
 * Every route × every role → allowed (the exact success status, on a case prepared in a state
 * where the call is real) or refused (401/403 with its problem+json `code`).
 */
describe('authorization matrix: every route × every role', () => {
  let sys: TestSystem;
  let ctx: Ctx;
  let factory: ReturnType<typeof caseFactory>;
  const tokens = {} as Record<StaffRole, string>;
  const claims = {} as Record<StaffRole, Record<string, string>>;
  let cells = 0;

  beforeAll(async () => {
    // The matrix alone makes ~100 failed authentications in well under a minute.
    sys = await startSystem({ listen: true, env: { AUTH_FAILURES_PER_MINUTE: '100000' } });
    const suffix = unique('Z');
    const m = await seedMatter(sys, suffix);
    const foreign = `OTHER${suffix}`;
    expect(
      (await caller(sys, sys.token('admin')).put(`/api/departments/${foreign}`, { name: '不参与本事项的部门' })).status,
    ).toBe(200);
    ctx = { m, suffix, foreign, views: {} as Ctx['views'] };
    factory = caseFactory(sys, m);
    const sign = createSigner({ key: sys.config.jwtSecret, algorithm: 'HS256', expiresIn: 3_600_000 });
    const all = staffClaims(ctx);
    for (const role of STAFF) {
      claims[role] = all[role];
      tokens[role] = sign(all[role]);
    }
    ctx.views = await seedOwnViews(sys, tokens, suffix);
  });
  afterAll(async () => {
    await sys?.db.deleteFrom('calendar_years').where('year', '=', CALENDAR_TEST_YEAR).execute();
    await sys?.stop();
  });

  it('the matrix covers every route /openapi.json (OpenAPI 3.1) lists, and every route there has its schemas', async () => {
    const doc = (await caller(sys).get('/openapi.json')).body;
    expect(doc.openapi).toBe('3.1.0');
    const documented = Object.entries<Record<string, any>>(doc.paths).flatMap(([path, ops]) =>
      Object.keys(ops)
        .filter((k) => ['get', 'put', 'post', 'delete', 'patch'].includes(k))
        .map((method) => `${method.toUpperCase()} ${path}`),
    );
    const inMatrix = [...new Set(ROUTES.map((r) => r.route))].filter((r) => !UNDOCUMENTED.has(r));
    expect([...documented].sort()).toEqual([...inMatrix].sort());
    for (const [path, ops] of Object.entries<Record<string, any>>(doc.paths)) {
      for (const [method, op] of Object.entries<any>(ops)) {
        if (path === '/metrics') continue; // Prometheus text
        expect(
          op.responses?.['200'] ?? op.responses?.['201'] ?? op.responses?.['204'],
          `${method} ${path} documents its answer`,
        ).toBeDefined();
        if (method === 'post' || method === 'put')
          expect(
            op.requestBody?.content?.['application/json']?.schema,
            `${method} ${path} documents its body`,
          ).toBeDefined();
        if (path.startsWith('/api/') && !path.startsWith('/api/public/')) {
          expect(op.security, `${method} ${path} needs a bearer token`).toEqual([{ bearer: [] }]);
          expect(
            op.responses['401']?.content?.['application/problem+json'],
            `${method} ${path} documents 401`,
          ).toBeDefined();
          expect(
            op.responses['403']?.content?.['application/problem+json'],
            `${method} ${path} documents 403`,
          ).toBeDefined();
        }
      }
    }
  });

  for (const row of ROUTES) {
    const title = row.variant ? `${row.route} (${row.variant})` : row.route;
    it(title, async () => {
      const method = row.route.split(' ')[0] as 'GET' | 'POST' | 'PUT' | 'DELETE';
      const allowed = (role: Role) => row.allow === 'everyone' || (row.allow as Role[]).includes(role);
      // One case for the calls that change nothing (reads, refusals); a fresh one for each allowed change.
      const shared = row.stage ? await factory.make(row.stage) : undefined;
      const sharedEventsBefore = shared ? await events(shared.caseNo) : undefined;
      const expected: Record<string, string> = {};
      const actual: Record<string, string> = {};
      const notProblemJson: string[] = [];
      for (const role of ROLES) {
        const c = row.stage && row.mutates && allowed(role) ? await factory.make(row.stage) : shared;
        const token = tokenFor(role, row);
        const client = caller(sys, token);
        const url = row.url(ctx, c, role);
        const body = row.body?.(ctx, c, role);
        const res = row.stream
          ? await client.openStream(url)
          : method === 'GET'
            ? await client.get(url)
            : method === 'POST'
              ? await client.post(url, body)
              : method === 'DELETE'
                ? await client.del(url)
                : await client.put(url, body);
        cells += 1;
        expected[role] = expectation(row, role);
        actual[role] =
          res.status < 300
            ? String(res.status)
            : `${res.status} ${res.body?.code ?? JSON.stringify(res.body).slice(0, 200)}`;
        if (res.status >= 400 && !String(res.headers['content-type']).startsWith('application/problem+json'))
          notProblemJson.push(`${role}: ${res.headers['content-type']}`);
      }
      expect(actual).toEqual(expected);
      expect(notProblemJson).toEqual([]);
      // The refused calls (and the reads) left the shared case as it was.
      if (shared) expect(await events(shared.caseNo)).toEqual(sharedEventsBefore);
    });
  }

  it('the acting person is recorded with the department the token acts for (window and departments alike)', async () => {
    const created = await caller(sys, tokens.window).post('/api/cases', {
      matterCode: ctx.m.matterCode,
      applicant: { name: '记录申请人' },
      materials: ['application'],
    });
    expect(created.status).toBe(201);
    const { caseNo } = created.body;
    expect(
      (await caller(sys, tokens.window).post(`/api/cases/${caseNo}/materials`, { materials: ['drawings', 'license'] }))
        .status,
    ).toBe(200);
    expect((await caller(sys, tokens.co).post(`/api/cases/${caseNo}/opinions`, { verdict: 'approve' })).status).toBe(
      200,
    );
    expect((await caller(sys, tokens.supervisor).post(`/api/cases/${caseNo}/urge`, { message: '请加快' })).status).toBe(
      200,
    );
    const trail = (await events(caseNo)) as { type: string; actor: unknown }[];
    const actorOf = (type: string) => trail.find((e) => e.type === type)?.actor;
    expect(actorOf('submitted')).toEqual({ sub: 'win-1', role: 'window', dept: 'WIN', name: '窗口' });
    expect(actorOf('materials_supplemented')).toEqual({ sub: 'win-1', role: 'window', dept: 'WIN', name: '窗口' });
    expect(actorOf('opinion_given')).toEqual({ sub: 'co-1', role: 'department', dept: ctx.m.co[0], name: '协办' });
    expect(actorOf('urged')).toEqual({ sub: 'sup-1', role: 'supervisor', dept: null, name: '督办' });
  });

  it(`ran the whole matrix: ${ROUTES.length} rows × ${ROLES.length} roles`, () => {
    expect(new Set(ROUTES.map((r) => r.route)).size).toBe(54);
    expect(cells).toBe(ROUTES.length * ROLES.length);
    console.log(
      `authorization matrix: ${ROUTES.length} rows (${new Set(ROUTES.map((r) => r.route)).size} routes) × ${ROLES.length} roles = ${cells} cells`,
    );
  });

  async function events(caseNo: string): Promise<unknown> {
    const res = await caller(sys, tokens.supervisor).get(`/api/cases/${caseNo}/events`);
    expect(res.status).toBe(200);
    return res.body;
  }

  /** Forged and expired tokens carry the claims of a role the route allows, so only the signature or expiry keeps them out. */
  function tokenFor(role: Role, row: Route): string | undefined {
    if (role === 'none') return undefined;
    const model = row.allow === 'everyone' ? 'admin' : row.allow[0]!;
    if (role === 'bad') return badTokens(claims[model]).wrongSecret;
    if (role === 'expired') return badTokens(claims[model]).expired;
    return tokens[role];
  }

  function expectation(row: Route, role: Role): string {
    const ok = row.okCode ? `${row.ok} ${row.okCode}` : String(row.ok);
    if (row.allow === 'everyone') return ok;
    if (role === 'none' || role === 'bad') return '401 unauthorized';
    if (role === 'expired') return '401 token_expired';
    if (row.allow.includes(role)) return ok;
    return `403 ${row.refusedAs?.[role] ?? 'forbidden_role'}`;
  }
});
