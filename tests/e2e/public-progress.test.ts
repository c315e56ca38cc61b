import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { caseFactory } from '../support/cases';
import { caller, seedMatter, type MatterSetup, type Reply } from '../support/http';
import { startSystem, unique, type TestSystem } from '../support/system';

const PUBLIC_KEYS = [
  'acceptedAt',
  'caseNo',
  'completedAt',
  'deadline',
  'decision',
  'deferredMaterials',
  'departments',
  'matterName',
  'missingMaterials',
  'payment',
  'rating',
  'result',
  'status',
  'submittedAt',
  'supplementRequested',
  'termination',
];

/** Applicant progress (办件进度查询): case number + query code, no login. */
describe('applicant progress: GET /api/public/cases/:caseNo?code=', () => {
  let sys: TestSystem;
  let m: MatterSetup;
  let factory: ReturnType<typeof caseFactory>;

  beforeAll(async () => {
    sys = await startSystem({ listen: true });
    m = await seedMatter(sys, unique('Q'));
    factory = caseFactory(sys, m);
  });
  afterAll(async () => sys?.stop());

  const anyone = () => caller(sys);
  const dept = (code: string) => caller(sys, sys.token('department', code));

  it('shows stage, departments answered or not and the deadline, never internal comments or personal data', async () => {
    const window = caller(sys, sys.token('window', 'WIN'));
    const created = await window.post('/api/cases', {
      matterCode: m.matterCode,
      applicant: { name: '王五', idNumber: '110101199003071234', phone: '13912345678' },
      materials: m.materials.map((x) => x.code),
    });
    const { caseNo, queryCode } = created.body;
    const secrets = [
      '内部意见：消防通道不足',
      '内部条件：限期整改',
      '内部纪要：现场有违建',
      '内部理由：需听证',
      '110101199003071234',
      '13912345678',
    ];
    expect(
      (await dept(m.co[0]!).post(`/api/cases/${caseNo}/opinions`, { verdict: 'reject', comment: secrets[0] })).status,
    ).toBe(200);
    expect(
      (
        await dept(m.co[1]!).post(`/api/cases/${caseNo}/opinions`, {
          verdict: 'approve_with_conditions',
          conditions: [secrets[1]],
        })
      ).status,
    ).toBe(200);
    const meeting = await dept(m.lead).post(`/api/cases/${caseNo}/meetings`, {
      kind: 'site_inspection',
      scheduledAt: '2026-12-01T09:30:00+08:00',
      departments: [m.co[0]],
    });
    expect(
      (
        await dept(m.lead).post(`/api/cases/${caseNo}/meetings/${meeting.body.meetingId}/minutes`, {
          findings: [{ dept: m.co[0], text: secrets[2] }],
        })
      ).status,
    ).toBe(200);
    expect(
      (await dept(m.lead).post(`/api/cases/${caseNo}/special-procedures`, { kind: 'hearing', reason: secrets[3] }))
        .status,
    ).toBe(200);

    const view = await anyone().get(`/api/public/cases/${caseNo}?code=${queryCode}`);
    expect(view.status).toBe(200);
    expect(Object.keys(view.body).sort()).toEqual(PUBLIC_KEYS);
    expect(view.body).toMatchObject({
      caseNo,
      status: 'suspended',
      matterName: '建设工程并联审批',
      decision: null,
      result: null,
    });
    expect(view.body.deadline).toMatch(/^\d{4}-\d{2}-\d{2}T.*\+08:00$/);
    expect(view.body.departments).toEqual(
      expect.arrayContaining([
        { dept: m.lead, name: `dept ${m.lead}`, answered: false },
        { dept: m.co[0], name: `dept ${m.co[0]}`, answered: true },
        { dept: m.co[1], name: `dept ${m.co[1]}`, answered: true },
      ]),
    );
    const text = JSON.stringify(view.body);
    for (const secret of secrets) expect(text).not.toContain(secret);
    expect(text).not.toMatch(/comment|condition|finding|reason|overrule|verdict|idNumber|phone|queryCode|applicant/i);
  });

  it('follows the case to its result', async () => {
    const c = await factory.make('completed');
    const view = await anyone().get(`/api/public/cases/${c.caseNo}?code=${c.queryCode}`);
    expect(view.status).toBe(200);
    expect(view.body).toMatchObject({
      status: 'completed',
      decision: 'approved',
      result: { number: expect.stringMatching(/^XK/) },
    });
    const waiting = await factory.make('awaiting_materials');
    const notice = await anyone().get(`/api/public/cases/${waiting.caseNo}?code=${waiting.queryCode}`);
    expect(notice.body.missingMaterials.map((x: { code: string }) => x.code)).toEqual(['drawings', 'license']);
  });

  it('a wrong code answers exactly like an unknown case: 404, the same body and the same headers', async () => {
    const a = await factory.make('in_review');
    const b = await factory.make('in_review');
    const wrongCode = String((Number(a.queryCode) + 1) % 100_000_000).padStart(8, '0');
    const answers: Reply[] = [
      await anyone().get(`/api/public/cases/${a.caseNo}?code=${wrongCode}`),
      await anyone().get(`/api/public/cases/${a.caseNo}?code=${b.queryCode}`), // another case's code
      await anyone().get(`/api/public/cases/${a.caseNo}?code=${a.queryCode}0`),
      await anyone().get(`/api/public/cases/JA00000000000000?code=${a.queryCode}`),
      await anyone().get(`/api/public/cases/${a.caseNo.slice(0, -1)}?code=${a.queryCode}`),
    ];
    const shape = (r: Reply) => ({
      status: r.status,
      body: r.body,
      contentType: r.headers['content-type'],
      headers: Object.keys(r.headers)
        .filter((h) => !['date', 'x-ratelimit-remaining', 'x-ratelimit-reset', 'keep-alive', 'connection'].includes(h))
        .sort(),
    });
    expect(answers[0]!.status).toBe(404);
    expect(answers[0]!.body).toEqual({
      type: '/problems/case_not_found',
      title: 'Not Found',
      status: 404,
      detail: 'no such case',
      code: 'case_not_found',
    });
    for (const answer of answers.slice(1)) expect(shape(answer)).toEqual(shape(answers[0]!));
    // A token does not open the door without the code, nor does it change the answer.
    const withToken = await caller(sys, sys.token('supervisor')).get(`/api/public/cases/${a.caseNo}?code=${wrongCode}`);
    expect(shape(withToken)).toEqual(shape(answers[0]!));
    const noCode = await anyone().get(`/api/public/cases/${a.caseNo}`);
    expect(noCode.status).toBe(400);
    expect(noCode.body.code).toBe('validation_failed');
  });

  it('compares the query code in constant time, on hashes, with as much work for an unknown case', () => {
    const source = readFileSync(path.join(__dirname, '..', '..', 'api', 'routes', 'public.ts'), 'utf8');
    expect(source).toMatch(/timingSafeEqual\(/);
    expect(source).toMatch(/UNKNOWN_HASH/);
  });

  it('is rate-limited per client: past PUBLIC_LOOKUPS_PER_MINUTE (60 by default) a look-up gets 429 rate_limited, whatever the headers say', async () => {
    expect(sys.config.publicLookupsPerMinute).toBe(60);
    // A system of its own, so the count starts at zero; 30 a minute keeps the test short.
    const own = await startSystem({ listen: true, env: { PUBLIC_LOOKUPS_PER_MINUTE: '30' } });
    try {
      const om = await seedMatter(own, unique('R'));
      const c = await caseFactory(own, om).make('in_review');
      const answers: Reply[] = [];
      for (let i = 0; i < 30; i++)
        answers.push(await caller(own).get(`/api/public/cases/${c.caseNo}?code=${i % 2 ? c.queryCode : '00000000'}`));
      expect(answers.map((a) => a.status)).toEqual(Array.from({ length: 30 }, (_, i) => (i % 2 ? 200 : 404)));
      expect(answers[29]!.headers['x-ratelimit-remaining']).toBe('0');

      const limited = await caller(own).get(`/api/public/cases/${c.caseNo}?code=${c.queryCode}`);
      expect(limited.status).toBe(429);
      expect(limited.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(limited.body).toMatchObject({ status: 429, code: 'rate_limited', type: '/problems/rate_limited' });
      expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
      // Forwarding headers are not trusted: they do not buy a fresh allowance.
      const spoofed = await fetch(`${own.baseUrl}/api/public/cases/${c.caseNo}?code=${c.queryCode}`, {
        headers: { 'x-forwarded-for': '203.0.113.7', 'x-real-ip': '203.0.113.8' },
      });
      expect(spoofed.status).toBe(429);
      // Staff routes are not counted against it.
      expect((await caller(own, own.token('supervisor')).get(`/api/cases/${c.caseNo}`)).status).toBe(200);
    } finally {
      await own.stop();
    }
  });
});
