import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PATCHES } from '../../workflows/patches';
import { caseFactory } from '../support/cases';
import { recordHistory } from '../support/histories';
import { caller, eventually, seedMatter } from '../support/http';
import { startSystem, unique, type TestSystem } from '../support/system';
import { startWebhookReceiver } from '../support/webhook-receiver';

const settle = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A department's webhook receiver that answers 503 while `failing`, then 204. */
async function startReceiver() {
  let failing = true;
  const receiver = await startWebhookReceiver(
    ({ status, body }) => ({ status, body: JSON.parse(body) as Record<string, unknown> }),
    () => (failing ? 503 : 204),
  );
  return { ...receiver, recover: () => void (failing = false), fail: () => void (failing = true) };
}

/**
 * The case's closing step: a case that has ended waits for its webhooks still being retried before
 * its workflow closes. An act accepted meanwhile (here the applicant's rating, which a running
 * workflow takes in its current run) is recorded and answered at once, and the case closes only
 * with it recorded — or stays open, when the act opened something to check (a bad review's 整改).
 */
describe('an act accepted while the case closes is recorded, never lost', () => {
  let sys: TestSystem;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  beforeAll(async () => {
    sys = await startSystem({ env: { WEBHOOK_ALLOW_PRIVATE: '1' } });
    receiver = await startReceiver();
  });
  afterAll(async () => {
    await sys?.stop();
    await receiver?.close();
  });

  const events = async (caseNo: string) =>
    ((await caller(sys, sys.token('supervisor')).get(`/api/cases/${caseNo}/events`)).body as { type: string }[]).map(
      (e) => e.type,
    );
  const running = async (caseNo: string) =>
    (await sys.client.workflow.getHandle(caseNo).describe()).status.name === 'RUNNING';

  it('a rating sent while a webhook is still being retried is answered and recorded; the case closes after', async () => {
    const m = await seedMatter(sys, unique('CW'));
    await caller(sys, sys.token('admin')).put(`/api/departments/${m.co[0]}`, {
      name: '消防',
      webhookUrl: receiver.url,
    });
    // The department's receiver is down: its copy notice is being retried when the case completes.
    const c = await caseFactory(sys, m).make('completed');
    expect(await running(c.caseNo)).toBe(true);
    expect(receiver.hits.filter((h) => h.body.caseNo === c.caseNo).every((h) => h.status === 503)).toBe(true);

    const answered = caller(sys).post(`/api/public/cases/${c.caseNo}/rating?code=${c.queryCode}`, {
      level: 5,
      comment: '办得快',
    });
    // Answered while the webhook still fails (before, it waited for the deliveries and was then lost).
    const early = await Promise.race([answered, new Promise<undefined>((r) => setTimeout(() => r(undefined), 20_000))]);
    receiver.recover();
    const res = early ?? (await answered);
    expect(early, 'the rating was answered while the webhook was still being retried').toBeDefined();
    expect(res.status).toBe(201);
    expect((await events(c.caseNo)).slice(-1)).toEqual(['rated']);

    // The webhook gets through; then the workflow closes, the rating in the event store.
    await eventually(
      async () => receiver.hits.filter((h) => h.body.caseNo === c.caseNo && h.status === 204).length,
      (n) => n === 1,
      60_000,
    );
    await eventually(
      () => running(c.caseNo),
      (r) => !r,
      30_000,
    );
    expect((await events(c.caseNo)).filter((t) => t === 'rated')).toHaveLength(1);
    await recordHistory(sys, c.caseNo, 'closing-window-rating');
  });

  it('a bad review sent while the case closes keeps it open for its 整改 (remediation), after the webhook too', async () => {
    const m = await seedMatter(sys, unique('CB'));
    await caller(sys, sys.token('admin')).put(`/api/departments/${m.co[0]}`, {
      name: '消防',
      webhookUrl: receiver.url,
    });
    receiver.fail();
    const c = await caseFactory(sys, m).make('completed');
    expect(await running(c.caseNo)).toBe(true);
    const bad = await Promise.race([
      caller(sys).post(`/api/public/cases/${c.caseNo}/rating?code=${c.queryCode}`, { level: 1, comment: '多次往返' }),
      new Promise<undefined>((r) => setTimeout(() => r(undefined), 20_000)),
    ]);
    receiver.recover();
    expect(bad?.status, 'the bad review was answered while the webhook was still being retried').toBe(201);
    expect((await events(c.caseNo)).slice(-2)).toEqual(['rated', 'remediation_opened']);
    await eventually(
      async () => receiver.hits.filter((h) => h.body.caseNo === c.caseNo && h.status === 204).length,
      (n) => n === 1,
      60_000,
    );
    await settle(1000);
    // Still running: the remediation's deadline is its timer (a closed run would have dropped it).
    expect(await running(c.caseNo)).toBe(true);
    expect(
      (await caller(sys, sys.token('department', m.lead)).get(`/api/cases/${c.caseNo}`)).body.remediation,
    ).toMatchObject({ dept: m.lead });
  });

  it('a rating reaching the workflow in the same task as the completing batch’s answer is recorded and answered', async () => {
    const m = await seedMatter(sys, unique('CD'));
    const c = await caseFactory(sys, m).make('deciding');
    // Hold the decision's batch at its write (the case row locked), so the worker can be taken
    // down under it: the batch's answer and the rating then reach the workflow in one task.
    const lock = new pg.Client({ connectionString: sys.config.databaseUrl });
    await lock.connect();
    try {
      await lock.query('begin');
      await lock.query('select 1 from cases where case_no = $1 for update', [c.caseNo]);
      const decided = caller(sys, sys.token('department', m.lead)).post(`/api/cases/${c.caseNo}/decision`, {
        decision: 'approve',
      });
      await eventually(
        async () =>
          (await lock.query(`select count(*)::int as n from pg_locks where not granted and locktype = 'transactionid'`))
            .rows[0].n as number,
        (n) => n > 0,
      );
      const stopped = sys.stopWorker();
      await lock.query('commit');
      await stopped;
      const rated = caller(sys).post(`/api/public/cases/${c.caseNo}/rating?code=${c.queryCode}`, { level: 4 });
      await settle(1000); // the rating waits at the server for a worker
      await sys.restartWorker(0);
      const answers = await Promise.race([
        Promise.all([decided, rated]),
        new Promise<undefined>((r) => setTimeout(() => r(undefined), 30_000)),
      ]);
      expect(
        answers?.map((a) => a.status),
        'decision and rating answered',
      ).toEqual([200, 201]);
      await eventually(
        () => running(c.caseNo),
        (r) => !r,
        30_000,
      );
      expect((await events(c.caseNo)).slice(-2)).toEqual(['completed', 'rated']);
      // Nothing was left to wait for when it closed: no marker of the closing patch in its history
      // (new cases start with a patch set, workflows/patches.ts, and so record no markers at all).
      const history = await sys.client.workflow.getHandle(c.caseNo).fetchHistory();
      const patches = (history.events ?? []).flatMap((e) =>
        (e.markerRecordedEventAttributes?.details?.['patch-data']?.payloads ?? []).map(
          (p) => (JSON.parse(Buffer.from(p.data!).toString('utf8')) as { id: string }).id,
        ),
      );
      expect(patches).not.toContain(PATCHES.closingRecordsLateActs);
    } finally {
      await lock.end();
    }
  });
});
