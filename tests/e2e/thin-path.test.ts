import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { caller, seedMatter } from '../support/http';
import { recordHistory } from '../support/histories';
import { startSystem, unique, type TestSystem } from '../support/system';

describe('thin path over HTTP: accept, parallel review, decision', () => {
  let sys: TestSystem;
  beforeAll(async () => {
    sys = await startSystem({ listen: true });
  });
  afterAll(async () => sys?.stop());

  it('accepts a complete application, takes every opinion, decides and completes', async () => {
    const m = await seedMatter(sys, unique('T'), { fees: [] });
    const window = caller(sys, sys.token('window', 'WIN'));
    const created = await window.post('/api/cases', {
      matterCode: m.matterCode,
      applicant: { name: '张三' },
      materials: m.materials.map((x) => x.code),
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ status: 'accepted', missingMaterials: [] });
    expect(created.body.caseNo).toMatch(/^JA\d{14}$/);
    expect(created.body.queryCode).toMatch(/^\d{8}$/);
    const caseNo = created.body.caseNo;

    const workflow = await sys.client.workflow.getHandle(caseNo).describe();
    expect(workflow.workflowId).toBe(caseNo);

    for (const dept of [m.lead, ...m.co]) {
      const given = await caller(sys, sys.token('department', dept)).post(`/api/cases/${caseNo}/opinions`, {
        verdict: 'approve',
      });
      expect(given.status, JSON.stringify(given.body)).toBe(200);
    }
    const decided = await caller(sys, sys.token('department', m.lead)).post(`/api/cases/${caseNo}/decision`, {
      decision: 'approve',
    });
    expect(decided.status).toBe(200);
    expect(decided.body.status).toBe('completed');
    expect(decided.body.result.number).toMatch(/^XK/);

    const read = await window.get(`/api/cases/${caseNo}`);
    expect(read.body).toMatchObject({ caseNo, status: 'completed', lateWorkingDays: 0 });
    expect(read.body.departments.map((d: { status: string }) => d.status)).toEqual(['given', 'given', 'given']);
    const events = (await window.get(`/api/cases/${caseNo}/events`)).body as {
      type: string;
      data: Record<string, unknown>;
    }[];
    const accepted = events.find((e) => e.type === 'accepted')!;
    expect(accepted.data.deadline).toBe(read.body.deadline); // instants in event data are ISO 8601 with offset
    expect(String(accepted.data.deadline)).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{3})?\+08:00$/);
    await recordHistory(sys, caseNo, 'thin-path');
  });

  it('answers bad input with problem+json and stable codes, never a 500', async () => {
    const window = caller(sys, sys.token('window', 'WIN'));
    const malformed = await fetch(`${sys.baseUrl}/api/cases`, {
      method: 'POST',
      headers: { authorization: `Bearer ${sys.token('window', 'WIN')}`, 'content-type': 'application/json' },
      body: '{"matterCode":',
    });
    expect(malformed.status).toBe(400);
    expect(malformed.headers.get('content-type')).toContain('application/problem+json');
    expect(await malformed.json()).toMatchObject({ status: 400, code: 'malformed_json' });

    const unknownField = await window.post('/api/cases', {
      matterCode: 'X',
      applicant: { name: 'a' },
      materials: [],
      extra: 1,
    });
    expect(unknownField.status).toBe(400);
    expect(unknownField.body.code).toBe('validation_failed');

    const wrongType = await window.post('/api/cases', { matterCode: 'X', applicant: { name: 'a' }, materials: 'all' });
    expect(wrongType.status).toBe(400);

    const unknownMatter = await window.post('/api/cases', {
      matterCode: 'NOPE',
      applicant: { name: 'a' },
      materials: [],
    });
    expect(unknownMatter.status).toBe(422);
    expect(unknownMatter.body.code).toBe('unknown_matter');

    const noToken = await caller(sys).get('/api/cases');
    expect(noToken.status).toBe(401);
    expect(noToken.body.code).toBe('unauthorized');

    const unknownCase = await caller(sys, sys.token('department', 'WIN')).post('/api/cases/JA000/opinions', {
      verdict: 'approve',
    });
    expect(unknownCase.status).toBe(404);
    expect(unknownCase.body.code).toBe('case_not_found');
  });

  it('reports health of Temporal and PostgreSQL', async () => {
    const health = await caller(sys).get('/health');
    expect(health.status).toBe(200);
    expect(health.body).toEqual({ status: 'ok', temporal: 'ok', database: 'ok' });
  });
});
