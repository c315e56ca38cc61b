import { createSigner } from 'fast-jwt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { badTokens, caseFactory, snapshot, type PreparedCase } from '../support/cases';
import { caller, seedMatter, seedOwnViews } from '../support/http';
import { CALENDAR_TEST_YEAR, ROUTES, staffClaims, type Ctx, type Route, type StaffRole } from '../support/routes';
import { startSystem, unique, type TestSystem } from '../support/system';

interface Raw {
  status: number;
  contentType: string;
  body: any;
  text: string;
}

const PROBLEM_KEYS = ['code', 'detail', 'status', 'title', 'type'];

/** Values of every JSON type but the one given: each is a wrong type for a field that holds `value`. */
function wrongTypes(value: unknown): unknown[] {
  const kind = (v: unknown) => (v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v);
  return [null, true, 12345, 'not-the-right-type', [], {}, [{ nested: ['deep'] }]].filter(
    (v) => kind(v) !== kind(value),
  );
}

/** Raw JSON texts that are malformed or hostile. */
const GARBAGE_TEXTS = [
  '{"a":',
  '{',
  '}',
  '[',
  'nul',
  'undefined',
  'NaN',
  '{"a":NaN}',
  '{a:1}',
  "{'a':1}",
  '{"a":1,}',
  '{"a" 1}',
  '\u0000',
  '"\\ud800"',
  '{"a":"\\x00"}',
  '[1,2',
  '{"a":1}{"b":2}',
  '\ufeff{}',
  '1e999999',
  '{"__proto__":{"polluted":true}}',
  '{"constructor":{"prototype":{"polluted":true}}}',
  `${'['.repeat(5000)}${']'.repeat(5000)}`,
  `{"a":${'{"a":'.repeat(2000)}1${'}'.repeat(2000)}}`,
];
/** Well-formed JSON of the wrong shape. */
const GARBAGE_VALUES: unknown[] = [
  null,
  true,
  false,
  0,
  -1,
  1e308,
  'string',
  '',
  [],
  [1, 2, 3],
  [{}],
  {},
  { '': '' },
  { a: { b: { c: { d: [] } } } },
  Array.from({ length: 5000 }, (_, i) => i),
  { materials: [null] },
  { verdict: 'approve'.repeat(1000) },
  { decision: '☃', reason: '\u0000' },
];

describe('errors: problem+json, stable codes, never a 500, and refusals change nothing', () => {
  let sys: TestSystem;
  let ctx: Ctx;
  let factory: ReturnType<typeof caseFactory>;
  let tokens: Record<StaffRole, string>;

  beforeAll(async () => {
    // The garbage batches below authenticate correctly; this only keeps the explicit 401 checks safe.
    sys = await startSystem({ listen: true, env: { AUTH_FAILURES_PER_MINUTE: '100000' } });
    const suffix = unique('E');
    const m = await seedMatter(sys, suffix);
    const foreign = `OTHER${suffix}`;
    await caller(sys, sys.token('admin')).put(`/api/departments/${foreign}`, { name: '无关部门' });
    ctx = { m, suffix, foreign, views: {} as Ctx['views'] };
    factory = caseFactory(sys, m);
    const sign = createSigner({ key: sys.config.jwtSecret, algorithm: 'HS256', expiresIn: 3_600_000 });
    const claims = staffClaims(ctx);
    tokens = Object.fromEntries(Object.entries(claims).map(([role, c]) => [role, sign(c)])) as Record<
      StaffRole,
      string
    >;
    ctx.views = await seedOwnViews(sys, tokens, suffix);
  });
  afterAll(async () => {
    await sys?.db.deleteFrom('calendar_years').where('year', '=', CALENDAR_TEST_YEAR).execute();
    await sys?.stop();
  });

  async function raw(
    method: string,
    url: string,
    opts: { token?: string; contentType?: string; body?: string | Buffer } = {},
  ): Promise<Raw> {
    const headers: Record<string, string> = {};
    if (opts.token) headers.authorization = `Bearer ${opts.token}`;
    if (opts.contentType) headers['content-type'] = opts.contentType;
    const res = await fetch(sys.baseUrl + url, { method, headers, body: opts.body });
    const text = await res.text();
    let body: any = text;
    try {
      body = JSON.parse(text);
    } catch {
      // not JSON: kept as text, and the checks below will say so
    }
    return { status: res.status, contentType: res.headers.get('content-type') ?? '', body, text };
  }

  /** A refusal as api.md says: problem+json with exactly type/title/status/detail/code, the status repeated, a stable code. */
  function problemOf(res: Raw, status: number, code?: string): void {
    expect(res.status, res.text.slice(0, 300)).toBe(status);
    expect(res.contentType).toMatch(/^application\/problem\+json/);
    expect(Object.keys(res.body).sort()).toEqual(PROBLEM_KEYS);
    expect(res.body.status).toBe(status);
    expect(res.body.code).toMatch(/^[a-z][a-z0-9_]*$/);
    expect(res.body.type).toBe(`/problems/${res.body.code}`);
    expect(typeof res.body.title).toBe('string');
    expect(typeof res.body.detail).toBe('string');
    if (code) expect(res.body.code).toBe(code);
  }

  /** Who makes the real call of a route: its first allowed role. */
  const roleOf = (r: Route): StaffRole => (r.allow === 'everyone' ? 'admin' : r.allow[0]!);
  const bodyRoutes = ROUTES.filter((r) => r.body);

  async function prepared(r: Route): Promise<PreparedCase | undefined> {
    return r.stage ? factory.make(r.stage) : undefined;
  }

  it('every kind of refusal is problem+json with its stable code', async () => {
    const c = await factory.make('in_review');
    const json = 'application/json';
    const opinions = `/api/cases/${c.caseNo}/opinions`;
    const { wrongSecret, expired } = badTokens({ sub: 'u', role: 'department', dept: ctx.m.co[0] });

    problemOf(
      await raw('POST', opinions, { token: tokens.co, contentType: json, body: '{"verdict":' }),
      400,
      'malformed_json',
    );
    problemOf(await raw('POST', opinions, { token: tokens.co, contentType: json, body: '' }), 400, 'malformed_json');
    problemOf(
      await raw('POST', opinions, { token: tokens.co, contentType: json, body: '{"verdict":"approve","extra":1}' }),
      400,
      'validation_failed',
    );
    problemOf(
      await raw('POST', opinions, { token: tokens.co, contentType: json, body: '{"verdict":42}' }),
      400,
      'validation_failed',
    );
    problemOf(await raw('GET', '/api/cases?limit=lots', { token: tokens.supervisor }), 400, 'validation_failed');
    problemOf(await raw('GET', '/api/cases?cursor=%2F%2F%2F', { token: tokens.supervisor }), 400, 'invalid_cursor');
    problemOf(await raw('POST', opinions, { contentType: json, body: '{"verdict":"approve"}' }), 401, 'unauthorized');
    problemOf(
      await raw('POST', opinions, { token: wrongSecret, contentType: json, body: '{"verdict":"approve"}' }),
      401,
      'unauthorized',
    );
    problemOf(
      await raw('POST', opinions, { token: 'not.a.jwt', contentType: json, body: '{"verdict":"approve"}' }),
      401,
      'unauthorized',
    );
    problemOf(
      await raw('POST', opinions, { token: expired, contentType: json, body: '{"verdict":"approve"}' }),
      401,
      'token_expired',
    );
    const hour = createSigner({ key: sys.config.jwtSecret, algorithm: 'HS256', expiresIn: 3_600_000 });
    const noDept = hour({ sub: 'u', role: 'department' });
    problemOf(
      await raw('POST', opinions, { token: noDept, contentType: json, body: '{"verdict":"approve"}' }),
      401,
      'invalid_claims',
    );
    const strangeRole = hour({ sub: 'u', role: 'root' });
    problemOf(await raw('GET', '/api/departments', { token: strangeRole }), 401, 'invalid_claims');
    problemOf(
      await raw('POST', opinions, { token: tokens.window, contentType: json, body: '{"verdict":"approve"}' }),
      403,
      'forbidden_role',
    );
    problemOf(
      await raw('POST', opinions, { token: tokens.foreign, contentType: json, body: '{"verdict":"approve"}' }),
      403,
      'not_reviewing_department',
    );
    problemOf(
      await raw('POST', `/api/cases/${c.caseNo}/meetings`, {
        token: tokens.co,
        contentType: json,
        body: JSON.stringify({
          kind: 'review_meeting',
          scheduledAt: '2026-12-01T09:00:00+08:00',
          departments: [ctx.m.lead],
        }),
      }),
      403,
      'not_lead_department',
    );
    problemOf(await raw('GET', `/api/tasks?dept=${ctx.m.lead}`, { token: tokens.co }), 403, 'not_own_department');
    problemOf(
      await raw('POST', '/api/cases/JA00000000000000/opinions', {
        token: tokens.co,
        contentType: json,
        body: '{"verdict":"approve"}',
      }),
      404,
      'case_not_found',
    );
    problemOf(await raw('GET', '/api/matters/NO_SUCH_MATTER', { token: tokens.window }), 404, 'matter_not_found');
    problemOf(await raw('GET', '/api/no/such/route', { token: tokens.window }), 404, 'route_not_found');
    problemOf(await raw('DELETE', `/api/cases/${c.caseNo}`, { token: tokens.window }), 404, 'route_not_found');
    problemOf(
      await raw('POST', `/api/cases/${c.caseNo}/meetings/M9/minutes`, {
        token: tokens.lead,
        contentType: json,
        body: JSON.stringify({ findings: [{ dept: ctx.m.lead, text: 'x' }] }),
      }),
      404,
      'meeting_not_found',
    );
    problemOf(
      await raw('POST', `/api/cases/${c.caseNo}/decision`, {
        token: tokens.lead,
        contentType: json,
        body: '{"decision":"approve"}',
      }),
      409,
      'opinions_pending',
    );
    problemOf(
      await raw('POST', `/api/cases/${c.caseNo}/payment`, {
        token: tokens.window,
        contentType: json,
        body: '{"paymentRef":"P1","amountCents":1}',
      }),
      409,
      'not_awaiting_payment',
    );
    problemOf(
      await raw('POST', `/api/cases/${c.caseNo}/refuse`, {
        token: tokens.window,
        contentType: json,
        body: '{"reason":"晚了"}',
      }),
      409,
      'case_already_accepted',
    );
    problemOf(
      await raw('POST', opinions, {
        token: tokens.co,
        contentType: json,
        body: JSON.stringify({ verdict: 'approve', fees: [{ item: '消防审核费', amountCents: 50_001 }] }),
      }),
      422,
      'fee_above_standard',
    );
    problemOf(
      await raw('POST', opinions, {
        token: tokens.co,
        contentType: json,
        body: JSON.stringify({ verdict: 'approve', fees: [{ item: '搭车收费', amountCents: 1 }] }),
      }),
      422,
      'unknown_fee_item',
    );
    problemOf(
      await raw('POST', '/api/cases', {
        token: tokens.window,
        contentType: json,
        body: JSON.stringify({ matterCode: 'NOPE', applicant: { name: 'a' }, materials: [] }),
      }),
      422,
      'unknown_matter',
    );
    problemOf(
      await raw('GET', '/api/calendar/deadline?from=not-a-date!&workingDays=1', { token: tokens.window }),
      422,
      'invalid_date',
    );
    problemOf(
      await raw('POST', opinions, { token: tokens.co, contentType: 'text/plain', body: 'approve' }),
      415,
      'unsupported_media_type',
    );
    problemOf(
      await raw('POST', opinions, {
        token: tokens.co,
        contentType: json,
        body: JSON.stringify({ verdict: 'approve', comment: 'x'.repeat(300 * 1024) }),
      }),
      413,
      'payload_too_large',
    );
  });

  it('400 for malformed JSON, wrong types and unknown fields on every route with a body', async () => {
    const wrong: string[] = [];
    for (const r of bodyRoutes) {
      const c = await prepared(r);
      const [method] = r.route.split(' ') as [string];
      const url = r.url(ctx, c, roleOf(r));
      const valid = r.body!(ctx, c, roleOf(r)) as Record<string, unknown>;
      const token = tokens[roleOf(r)];
      const before = c ? await snapshot(sys, c.caseNo) : undefined;
      const send = (body: string) => raw(method, url, { token, contentType: 'application/json', body });
      const check = async (what: string, res: Promise<Raw>, code: string) => {
        const got = await res;
        if (got.status !== 400 || got.body?.code !== code || !got.contentType.startsWith('application/problem+json'))
          wrong.push(`${r.route} ${what}: ${got.status} ${got.text.slice(0, 200)}`);
      };
      await check('malformed', send('{"x":'), 'malformed_json');
      await check('empty', send(''), 'malformed_json');
      await check('unknown field', send(JSON.stringify({ ...valid, unexpectedField: 1 })), 'validation_failed');
      await check('no fields', send('{}'), 'validation_failed');
      for (const [key, value] of Object.entries(valid)) {
        for (const bad of wrongTypes(value))
          await check(
            `${key}=${JSON.stringify(bad)}`,
            send(JSON.stringify({ ...valid, [key]: bad })),
            'validation_failed',
          );
      }
      if (c) expect(await snapshot(sys, c.caseNo)).toEqual(before);
    }
    expect(wrong).toEqual([]);
  });

  it('413 for a body over BODY_LIMIT_BYTES (default 256 KiB), 415 for any content type but JSON, on every route with a body', async () => {
    expect(sys.config.bodyLimitBytes).toBe(256 * 1024);
    const wrong: string[] = [];
    const big = JSON.stringify({ padding: 'x'.repeat(256 * 1024) });
    for (const r of bodyRoutes) {
      const c = await prepared(r);
      const [method] = r.route.split(' ') as [string];
      const url = r.url(ctx, c, roleOf(r));
      const token = tokens[roleOf(r)];
      const valid = JSON.stringify(r.body!(ctx, c, roleOf(r)));
      const tooLarge = await raw(method, url, { token, contentType: 'application/json', body: big });
      if (tooLarge.status !== 413 || tooLarge.body?.code !== 'payload_too_large')
        wrong.push(`${r.route} big: ${tooLarge.status} ${tooLarge.text.slice(0, 200)}`);
      for (const contentType of [
        'text/plain',
        'application/xml',
        'application/x-www-form-urlencoded',
        'multipart/form-data; boundary=x',
        'application/octet-stream',
      ]) {
        const res = await raw(method, url, { token, contentType, body: valid });
        if (res.status !== 415 || res.body?.code !== 'unsupported_media_type')
          wrong.push(`${r.route} ${contentType}: ${res.status} ${res.text.slice(0, 200)}`);
      }
      const none = await raw(method, url, { token, body: Buffer.from(valid) }); // no content-type header at all
      if (none.status !== 415 && none.status !== 400)
        wrong.push(`${r.route} without content type: ${none.status} ${none.text.slice(0, 200)}`);
    }
    expect(wrong).toEqual([]);
  });

  it('never a 500 for bad input: a batch of garbage on every POST and PUT route, in bodies, paths and queries', async () => {
    const failures: string[] = [];
    let sent = 0;
    const judge = (what: string, res: Raw) => {
      sent += 1;
      const refusal =
        res.status >= 400 &&
        res.status < 500 &&
        res.contentType.startsWith('application/problem+json') &&
        typeof res.body?.code === 'string';
      if (!refusal) failures.push(`${what}: ${res.status} ${res.contentType} ${res.text.slice(0, 200)}`);
    };
    for (const r of bodyRoutes) {
      const c = await prepared(r);
      const before = c ? await snapshot(sys, c.caseNo) : undefined;
      const [method] = r.route.split(' ') as [string];
      const url = r.url(ctx, c, roleOf(r));
      const token = tokens[roleOf(r)];
      const valid = r.body!(ctx, c, roleOf(r)) as Record<string, unknown>;
      for (const text of GARBAGE_TEXTS)
        judge(
          `${r.route} ${JSON.stringify(text.slice(0, 40))}`,
          await raw(method, url, { token, contentType: 'application/json', body: text }),
        );
      judge(
        `${r.route} invalid UTF-8`,
        await raw(method, url, {
          token,
          contentType: 'application/json',
          body: Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0x22, 0x7d]),
        }),
      );
      judge(
        `${r.route} charset=latin1`,
        await raw(method, url, { token, contentType: 'application/json; charset=latin1', body: '{"a":1}' }),
      );
      for (const value of GARBAGE_VALUES)
        judge(
          `${r.route} ${JSON.stringify(value).slice(0, 40)}`,
          await raw(method, url, { token, contentType: 'application/json', body: JSON.stringify(value) }),
        );
      for (const [key, value] of Object.entries(valid)) {
        for (const bad of [
          '',
          'x'.repeat(100_000),
          -1,
          1.5,
          1e21,
          'a\u0000b',
          '\u0000',
          'a\ud800b',
          '\udfff',
          [null],
          [''],
          [[]],
          [{ a: 1 }],
          ['a\u0000'],
        ]) {
          if (JSON.stringify(bad) === JSON.stringify(value)) continue;
          judge(
            `${r.route} ${key}=${JSON.stringify(bad).slice(0, 30)}`,
            await raw(method, url, {
              token,
              contentType: 'application/json',
              body: JSON.stringify({ ...valid, [key]: bad }),
            }),
          );
        }
      }
      judge(
        `${r.route} NUL in a key`,
        await raw(method, url, {
          token,
          contentType: 'application/json',
          body: JSON.stringify({ ...valid, 'k\u0000': 1 }),
        }),
      );
      if (c) {
        for (const caseNo of [
          'JA%00',
          'x'.repeat(65),
          '%E0%A4%A',
          '..%2F..%2Fetc%2Fpasswd',
          encodeURIComponent("' OR 1=1 --"),
          encodeURIComponent('案件'),
          '%20',
          'JA00000000000000',
        ]) {
          judge(
            `${r.route} caseNo=${caseNo.slice(0, 20)}`,
            await raw(method, url.replace(c.caseNo, caseNo), {
              token,
              contentType: 'application/json',
              body: JSON.stringify(valid),
            }),
          );
        }
        expect(await snapshot(sys, c.caseNo)).toEqual(before);
      }
      if (r.route.includes('{meetingId}') || r.route.includes('{procedureId}')) {
        const id = (c!.meetingId ?? c!.procedureId)!;
        for (const bad of ['M999', 'x'.repeat(33), '%00', encodeURIComponent('../P1')]) {
          judge(
            `${r.route} id=${bad}`,
            await raw(method, url.replace(`/${id}/`, `/${bad}/`), {
              token,
              contentType: 'application/json',
              body: JSON.stringify(valid),
            }),
          );
        }
      }
      // Hostile but well-formed text may be accepted (it is only text); it must never break anything.
      for (const [key, value] of Object.entries(valid)) {
        if (typeof value !== 'string') continue;
        for (const hostile of [
          ' ',
          '<script>alert(1)</script>',
          "' OR 1=1; DROP TABLE cases; --",
          '${jndi:ldap://x}',
          '\ud83d\ude00 表情',
          '\u202e\u200b',
          '\\u0000',
        ]) {
          const res = await raw(method, url, {
            token,
            contentType: 'application/json',
            body: JSON.stringify({ ...valid, [key]: hostile }),
          });
          sent += 1;
          if (res.status >= 500 || (res.status >= 400 && !res.contentType.startsWith('application/problem+json')))
            failures.push(`${r.route} ${key}=${JSON.stringify(hostile)}: ${res.status} ${res.text.slice(0, 200)}`);
        }
      }
    }
    const getQueries = [
      '/api/cases?limit=0',
      '/api/cases?limit=-1',
      '/api/cases?limit=1e9',
      '/api/cases?limit=abc',
      '/api/cases?cursor=%FF%FE',
      '/api/cases?cursor=' + 'A'.repeat(201),
      '/api/cases?status=' + 'x'.repeat(40),
      '/api/cases?dept=%00',
      '/api/cases?status=%00',
      '/api/cases?status=%ED%A0%80',
      '/api/cases?matterCode=%00',
      '/api/cases?unknown=1',
      '/api/calendar/deadline',
      '/api/calendar/deadline?from=2026-01-01',
      '/api/calendar/deadline?from=2026-01-01&workingDays=-1',
      '/api/calendar/deadline?from=2026-01-01&workingDays=3651',
      '/api/calendar/deadline?from=9999-12-31&workingDays=3650',
      '/api/calendar/deadline?from=0000-01-01&workingDays=1',
      '/api/calendar/deadline?from=2026-01-01T25:61:00%2B08:00&workingDays=1',
      '/api/calendar/deadline?from=2026-01-01&workingDays=1.5',
      '/api/tasks?state=bogus',
      '/api/inbox?limit=0',
      '/api/supervision/cases?filter=bogus',
      '/api/supervision/cases?stalledHours=-5',
      '/api/supervision/cases?stalledHours=abc',
      '/api/supervision/stats?from=2026-12-31',
      '/api/supervision/stats?from=2026-13-01&to=2026-12-31',
      '/api/supervision/stats?from=2026-12-31&to=2026-01-01',
      '/api/supervision/stats?from=x&to=y',
      '/api/supervision/stats.csv?from=2026-13-01',
      '/api/supervision/stats/matters?from=2026-12-31&to=2026-01-01',
      '/api/supervision/stats/matters.csv?from=x',
      '/api/supervision/trend?from=2026-12-31&to=2026-01-01',
      '/api/supervision/trend?from=2000-01-01&to=2100-01-01',
      '/api/supervision/trend?dept=%00',
      '/api/supervision/summary?stalledHours=-1',
      '/api/views?screen=bogus',
      '/api/stream?topics=bogus',
      '/api/stream?topics=case:%00',
      '/api/stream',
      '/api/stream?ticket=' + 'x'.repeat(101),
      '/api/matters/' + 'x'.repeat(65),
      '/api/matters/%00',
      '/api/cases/JA%00',
      '/api/cases/JA%00/events',
      '/api/public/cases/JA%00?code=1',
      '/api/public/cases/JA1?code=%00',
      '/api/public/cases/JA1',
      '/api/public/cases/JA1?code=',
      '/api/public/cases/JA1?code=' + 'x'.repeat(65),
    ];
    for (const url of getQueries) {
      const token =
        url.startsWith('/api/supervision') || url.startsWith('/api/tasks') || url.startsWith('/api/inbox')
          ? tokens.supervisor
          : tokens.admin;
      judge(`GET ${url.slice(0, 60)}`, await raw('GET', url, { token }));
    }
    for (const [url, body] of [
      ['/api/calendar/1999', '{"holidays":[],"workdays":[]}'],
      ['/api/calendar/abc', '{"holidays":[],"workdays":[]}'],
      [`/api/calendar/${CALENDAR_TEST_YEAR}`, '{"holidays":["2100-02-30"],"workdays":[]}'],
      [`/api/calendar/${CALENDAR_TEST_YEAR}`, '{"holidays":["2099-01-01"],"workdays":["2100-01-04"]}'],
    ] as const) {
      judge(
        `PUT ${url} ${body}`,
        await raw('PUT', url, { token: tokens.admin, contentType: 'application/json', body }),
      );
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(failures).toEqual([]);
    expect(sent).toBeGreaterThan(1000);
    // And the server is still well.
    expect((await raw('GET', '/health')).status).toBe(200);
  });

  it('a refused request changes nothing: GET case and GET events are the same after every refusal', async () => {
    const json = 'application/json';
    const { expired } = badTokens({ sub: 'w', role: 'window', dept: 'WIN' });
    type Who = StaffRole | 'expired' | undefined;
    const post = (c: PreparedCase, path: string, role: Who, body: unknown, contentType = json) =>
      raw('POST', `/api/cases/${c.caseNo}/${path}`, {
        token: role === 'expired' ? expired : role && tokens[role],
        contentType,
        body: typeof body === 'string' ? body : JSON.stringify(body),
      });

    /** Each refusal with its status and code, then the case must look exactly as before. */
    async function refusedAll(c: PreparedCase, refusals: [string, Who, unknown, number, string, string?][]) {
      const before = await snapshot(sys, c.caseNo);
      for (const [path, role, body, status, code, contentType] of refusals) {
        const res = await post(c, path, role, body, contentType);
        expect(`${path} by ${role}: ${res.status} ${res.body?.code}`).toBe(`${path} by ${role}: ${status} ${code}`);
      }
      expect(await snapshot(sys, c.caseNo)).toEqual(before);
    }

    const inReview = await factory.make('in_review');
    await refusedAll(inReview, [
      ['opinions', 'window', { verdict: 'approve' }, 403, 'forbidden_role'],
      ['opinions', 'supervisor', { verdict: 'approve' }, 403, 'forbidden_role'],
      ['opinions', 'foreign', { verdict: 'approve' }, 403, 'not_reviewing_department'],
      [
        'opinions',
        'co',
        { verdict: 'approve', fees: [{ item: '消防审核费', amountCents: 50_001 }] },
        422,
        'fee_above_standard',
      ],
      [
        'opinions',
        'co',
        { verdict: 'approve', fees: [{ item: '规划许可费', amountCents: 1 }] },
        422,
        'unknown_fee_item',
      ],
      ['opinions', 'co', { verdict: 'approve_with_conditions' }, 422, 'conditions_required'],
      ['opinions', 'co', { verdict: 'reject' }, 422, 'reason_required'],
      ['opinions', 'co', { verdict: 'request_supplement' }, 422, 'materials_required'],
      ['opinions', 'co', { verdict: 'approve', extra: true }, 400, 'validation_failed'],
      ['opinions', 'co', '{"verdict":"approve"', 400, 'malformed_json'],
      ['opinions', 'co', 'verdict=approve', 415, 'unsupported_media_type', 'application/x-www-form-urlencoded'],
      ['opinions', 'co', { verdict: 'approve', comment: 'x'.repeat(300 * 1024) }, 413, 'payload_too_large'],
      ['opinions', undefined, { verdict: 'approve' }, 401, 'unauthorized'],
      ['withdraw', undefined, { reason: 'x' }, 401, 'unauthorized'],
      [
        'meetings',
        'co',
        { kind: 'review_meeting', scheduledAt: '2026-12-01T09:00:00+08:00', departments: [ctx.m.lead] },
        403,
        'not_lead_department',
      ],
      [
        'meetings',
        'lead',
        { kind: 'review_meeting', scheduledAt: '2026-12-01T09:00:00+08:00', departments: [ctx.foreign] },
        422,
        'unknown_department',
      ],
      ['special-procedures/P1/complete', 'lead', { outcome: 'x' }, 404, 'procedure_not_found'],
      ['decision', 'lead', { decision: 'approve' }, 409, 'opinions_pending'],
      ['decision', 'co', { decision: 'approve' }, 403, 'not_lead_department'],
      ['materials', 'window', { materials: ['license'] }, 409, 'not_awaiting_materials'],
      ['refuse', 'window', { reason: '不受理' }, 409, 'case_already_accepted'],
      ['supplements', 'window', { materials: ['license'] }, 409, 'not_awaiting_supplement'],
      ['negative-review', 'supervisor', { outcome: 'confirm', note: 'x' }, 409, 'not_in_negative_review'],
      ['payment', 'window', { paymentRef: 'P-1', amountCents: 0 }, 409, 'not_awaiting_payment'],
      ['urge', 'window', { message: '快' }, 403, 'forbidden_role'],
      ['extension', 'supervisor', { workingDays: 16, reason: '太多' }, 422, 'extension_limit'],
      ['withdraw', 'supervisor', { reason: 'x' }, 403, 'forbidden_role'],
      ['withdraw', 'expired', { reason: 'x' }, 401, 'token_expired'],
      ['urge', 'supervisor', { message: 'a\u0000b' }, 400, 'invalid_text'],
      ['opinions', 'co', { verdict: 'reject', comment: 'bad \ud800' }, 400, 'invalid_text'],
    ]);

    // Limits that depend on what happened before: one extension granted, the second past 15 in all.
    expect((await post(inReview, 'extension', 'supervisor', { workingDays: 10, reason: '复杂' })).status).toBe(200);
    await refusedAll(inReview, [
      ['extension', 'supervisor', { workingDays: 6, reason: '再延' }, 422, 'extension_limit'],
    ]);
    // One opinion per department per round.
    expect((await post(inReview, 'opinions', 'co', { verdict: 'reject', comment: '不符合消防规范' })).status).toBe(200);
    await refusedAll(inReview, [['opinions', 'co', { verdict: 'approve' }, 409, 'opinion_already_given']]);

    const deciding = await factory.make('in_review');
    await post(deciding, 'opinions', 'co', { verdict: 'reject', comment: '不符合消防规范' });
    await post(deciding, 'opinions', 'lead', { verdict: 'approve' });
    expect(
      (
        await raw('POST', `/api/cases/${deciding.caseNo}/opinions`, {
          token: sys.token('department', ctx.m.co[1]),
          contentType: json,
          body: '{"verdict":"approve"}',
        })
      ).body.status,
    ).toBe('deciding');
    await refusedAll(deciding, [
      ['decision', 'lead', { decision: 'approve' }, 422, 'rejecting_opinion_stands'],
      ['decision', 'lead', { decision: 'reject' }, 422, 'reason_required'],
      ['opinions', 'lead', { verdict: 'approve' }, 409, 'opinion_already_given'],
      [
        'meetings',
        'lead',
        { kind: 'review_meeting', scheduledAt: '2026-12-01T09:00:00+08:00', departments: [ctx.m.lead] },
        409,
        'case_not_in_review',
      ],
    ]);

    const awaitingPayment = await factory.make('awaiting_payment');
    await refusedAll(awaitingPayment, [
      ['payment', 'window', { paymentRef: 'P-1', amountCents: factory.feeTotalCents - 1 }, 409, 'amount_mismatch'],
      ['payment', 'supervisor', { paymentRef: 'P-1', amountCents: factory.feeTotalCents }, 403, 'forbidden_role'],
      ['withdraw', 'window', { reason: '不想交费' }, 409, 'case_already_decided'],
      ['urge', 'supervisor', { message: '快' }, 409, 'case_already_decided'],
    ]);

    const completed = await factory.make('completed');
    await refusedAll(completed, [
      ['withdraw', 'window', { reason: 'x' }, 409, 'case_already_decided'],
      ['payment', 'window', { paymentRef: 'P-9', amountCents: 0 }, 409, 'not_awaiting_payment'],
      ['opinions', 'co', { verdict: 'approve' }, 409, 'case_not_in_review'],
      ['decision', 'lead', { decision: 'reject', reason: 'x' }, 409, 'case_not_deciding'],
      ['extension', 'supervisor', { workingDays: 1, reason: 'x' }, 409, 'case_already_decided'],
    ]);

    const awaitingMaterials = await factory.make('awaiting_materials');
    await refusedAll(awaitingMaterials, [
      ['materials', 'window', { materials: ['no-such-material'] }, 422, 'unknown_material'],
      ['materials', 'lead', { materials: ['license'] }, 403, 'forbidden_role'],
      ['opinions', 'co', { verdict: 'approve' }, 409, 'case_not_in_review'],
      ['opinions', 'foreign', { verdict: 'approve' }, 403, 'not_reviewing_department'],
      ['extension', 'supervisor', { workingDays: 1, reason: 'x' }, 409, 'clock_not_started'],
    ]);
  });
});
