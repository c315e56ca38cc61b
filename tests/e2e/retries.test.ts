import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { caseFactory } from '../support/cases';
import { recordHistory } from '../support/histories';
import { caller, eventually, seedMatter, type MatterSetup } from '../support/http';
import { outageApis } from '../support/outage-api';
import { startSystem, unique, type TestSystem } from '../support/system';

/** api.md, "Retries and outages": Idempotency-Key on every command, honest 503s, nothing received is lost. */
describe('retries and outages', () => {
  let sys: TestSystem;
  let m: MatterSetup;
  let factory: ReturnType<typeof caseFactory>;
  const outage = outageApis(() => sys);

  beforeAll(async () => {
    sys = await startSystem({ env: { RECEIPT_APPLIER_INTERVAL_MS: '300' } });
    m = await seedMatter(sys, unique('R'));
    factory = caseFactory(sys, m);
    // A second acceptance window, for keys reused across windows.
    await caller(sys, sys.token('admin')).put('/api/departments/WIN2', { name: '第二受理窗口' });
  });
  afterAll(async () => {
    await outage.close();
    await sys?.stop();
  });

  /** APIs like the real one, but with Temporal (or PostgreSQL) at an address where nothing listens. */
  const { apiWithout, via } = outage;

  const events = async (caseNo: string) =>
    (await caller(sys, sys.token('supervisor')).get(`/api/cases/${caseNo}/events`)).body as {
      type: string;
      at: string;
      receivedAt?: string;
      data: any;
    }[];
  const submission = (name = '重试申请人') => ({
    matterCode: m.matterCode,
    applicant: { name },
    materials: m.materials.map((x) => x.code),
  });
  const caseSeq = (caseNo: string) => Number(caseNo.slice(-6));

  it('an opinion sent twice with one Idempotency-Key is recorded once; the repeat replays status and body', async () => {
    const c = await factory.make('in_review');
    const fire = caller(sys, sys.token('department', m.co[0]));
    const key = unique('op-');
    const body = { verdict: 'approve_with_conditions', conditions: ['按图施工'] };
    const first = await fire.post(`/api/cases/${c.caseNo}/opinions`, body, { 'idempotency-key': key });
    const again = await fire.post(`/api/cases/${c.caseNo}/opinions`, body, { 'idempotency-key': key });
    expect(first.status).toBe(200);
    expect(again.status).toBe(200);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.body).toEqual(first.body);
    expect((await events(c.caseNo)).filter((e) => e.type === 'opinion_given')).toHaveLength(1);

    // The same key with another body is refused and changes nothing.
    const reused = await fire.post(
      `/api/cases/${c.caseNo}/opinions`,
      { verdict: 'reject', comment: 'x' },
      {
        'idempotency-key': key,
      },
    );
    expect(reused.status).toBe(422);
    expect(reused.body.code).toBe('idempotency_key_reused');
    expect(reused.headers['content-type']).toContain('application/problem+json');

    // A refusal is replayed too: a second opinion with a new key → 409, again with the same key → the same 409.
    const key2 = unique('op-');
    const refused = await fire.post(
      `/api/cases/${c.caseNo}/opinions`,
      { verdict: 'approve' },
      { 'idempotency-key': key2 },
    );
    expect(refused.status).toBe(409);
    expect(refused.body.code).toBe('opinion_already_given');
    const refusedAgain = await fire.post(
      `/api/cases/${c.caseNo}/opinions`,
      { verdict: 'approve' },
      {
        'idempotency-key': key2,
      },
    );
    expect(refusedAgain.status).toBe(409);
    expect(refusedAgain.body).toEqual(refused.body);
    expect((await events(c.caseNo)).filter((e) => e.type === 'opinion_given')).toHaveLength(1);
  });

  it('a malformed Idempotency-Key is a 400', async () => {
    const c = await factory.make('in_review');
    const res = await caller(sys, sys.token('department', m.co[0])).post(
      `/api/cases/${c.caseNo}/opinions`,
      { verdict: 'approve' },
      { 'idempotency-key': 'x'.repeat(300) },
    );
    expect(res.status).toBe(400);
  });

  it('submission by header key: the repeat replays 201 with the same number and code; another window gets its own case', async () => {
    const key = unique('sub-');
    const window = caller(sys, sys.token('window', 'WIN', 'clerk-1'));
    const first = await window.post('/api/cases', submission(), { 'idempotency-key': key });
    const again = await window.post('/api/cases', submission(), { 'idempotency-key': key });
    expect(first.status).toBe(201);
    expect(again.status).toBe(201);
    expect(again.body).toEqual(first.body);
    expect(again.headers['idempotent-replayed']).toBe('true');

    const other = caller(sys, sys.token('window', 'WIN2', 'clerk-9'));
    const theirs = await other.post('/api/cases', submission('另一申请人'), { 'idempotency-key': key });
    expect(theirs.status).toBe(201);
    expect(theirs.body.caseNo).not.toBe(first.body.caseNo);
    expect(theirs.body.queryCode).not.toBe(first.body.queryCode);

    // The body's idempotencyKey is the caller's own as well.
    const bodyKey = unique('body-');
    const a = await window.post('/api/cases', { ...submission(), idempotencyKey: bodyKey });
    const b = await other.post('/api/cases', { ...submission('另一申请人'), idempotencyKey: bodyKey });
    expect([a.status, b.status]).toEqual([201, 201]);
    expect(b.body.caseNo).not.toBe(a.body.caseNo);
    const reused = await window.post('/api/cases', { ...submission('改了名字'), idempotencyKey: bodyKey });
    expect(reused.status).toBe(422);
    expect(reused.body.code).toBe('idempotency_key_reused');
  });

  it('repeats and refused submissions spend no case number: the register has no gaps', async () => {
    const window = caller(sys, sys.token('window', 'WIN', 'clerk-gap'));
    const key = unique('gap-');
    const first = await window.post('/api/cases', { ...submission(), idempotencyKey: key });
    expect(first.status).toBe(201);
    for (let i = 0; i < 3; i++)
      expect((await window.post('/api/cases', { ...submission(), idempotencyKey: key })).status).toBe(200);
    const refused = await window.post('/api/cases', { ...submission(), materials: ['no-such-material'] });
    expect(refused.status).toBe(422);
    const unknownMatter = await window.post('/api/cases', { ...submission(), matterCode: 'NO_SUCH_MATTER' });
    expect(unknownMatter.status).toBe(422);
    const next = await window.post('/api/cases', submission());
    expect(next.status).toBe(201);
    expect(caseSeq(next.body.caseNo)).toBe(caseSeq(first.body.caseNo) + 1);
  });

  it('Temporal unreachable: 503 within COMMAND_WAIT_MS with Retry-After; the act received is applied later, as of its receipt', async () => {
    const c = await factory.make('in_review');
    const broken = await apiWithout('temporal');
    const key = unique('outage-');
    const body = { verdict: 'approve' };
    const started = Date.now();
    const down = await via(broken, sys.token('department', m.co[0])).post(`/api/cases/${c.caseNo}/opinions`, body, {
      'idempotency-key': key,
    });
    const waited = Date.now() - started;
    expect(down.status).toBe(503);
    expect(down.body.code).toBe('service_unavailable');
    expect(down.headers['retry-after']).toBeDefined();
    expect(down.body.detail).toContain('Idempotency-Key');
    expect(waited).toBeLessThan(8000); // COMMAND_WAIT_MS is 1000 here; unbounded it would hang

    const health = await via(broken, '').get('/health');
    expect(health.status).toBe(503);
    expect(health.body).toMatchObject({ status: 'degraded', temporal: 'down', database: 'ok' });

    // The running system's receipt applier applies it; the opinion keeps its original receipt time.
    const receipt = await sys.db
      .selectFrom('command_receipts')
      .select(['received_at'])
      .where('key', '=', key)
      .executeTakeFirstOrThrow();
    const trail = await eventually(
      () => events(c.caseNo),
      (t) => t.some((e) => e.type === 'opinion_given'),
    );
    const given = trail.find((e) => e.type === 'opinion_given')!;
    expect(new Date(given.receivedAt!).getTime()).toBe(receipt.received_at.getTime());
    expect(new Date(given.at).getTime()).toBeGreaterThan(receipt.received_at.getTime());

    // The same key again tells the outcome, without acting again.
    const outcome = await caller(sys, sys.token('department', m.co[0])).post(`/api/cases/${c.caseNo}/opinions`, body, {
      'idempotency-key': key,
    });
    expect(outcome.status).toBe(200);
    expect(outcome.headers['idempotent-replayed']).toBe('true');
    expect(outcome.body.departments.find((d: { dept: string }) => d.dept === m.co[0]).status).toBe('given');
    expect((await events(c.caseNo)).filter((e) => e.type === 'opinion_given')).toHaveLength(1);
  });

  it('a submission received while Temporal is unreachable becomes its case later, under the number it was given', async () => {
    const broken = await apiWithout('temporal');
    const key = unique('late-sub-');
    const token = sys.token('window', 'WIN', 'clerk-outage');
    const down = await via(broken, token).post('/api/cases', submission(), { 'idempotency-key': key });
    expect(down.status).toBe(503);
    const outcome = await eventually(
      () => caller(sys, token).post('/api/cases', submission(), { 'idempotency-key': key }),
      (r) => r.status === 201,
    );
    expect(outcome.body.status).toBe('accepted');
    const trail = await events(outcome.body.caseNo);
    expect(trail.filter((e) => e.type === 'submitted')).toHaveLength(1);
    // Started from its receipt, without the search attributes a fresh request sets at the start.
    await recordHistory(sys, outcome.body.caseNo, 'submission-applied-later');
  });

  it('PostgreSQL unreachable: 503 service_unavailable with Retry-After, never 500; /health names the part', async () => {
    const broken = await apiWithout('database');
    const list = await via(broken, sys.token('supervisor')).get('/api/cases');
    expect(list.status).toBe(503);
    expect(list.body.code).toBe('service_unavailable');
    expect(list.headers['retry-after']).toBeDefined();
    const submit = await via(broken, sys.token('window', 'WIN')).post('/api/cases', submission());
    expect(submit.status).toBe(503);
    const health = await via(broken, '').get('/health');
    expect(health.status).toBe(503);
    expect(health.body).toMatchObject({ temporal: 'ok', database: 'down' });
  });

  it('events show receivedAt beside at for commands', async () => {
    const c = await factory.make('in_review');
    const trail = await events(c.caseNo);
    const submitted = trail.find((e) => e.type === 'submitted')!;
    expect(submitted.receivedAt).toMatch(/\+08:00$/);
    expect(new Date(submitted.receivedAt!).getTime()).toBeLessThanOrEqual(new Date(submitted.at).getTime());
  });
});
