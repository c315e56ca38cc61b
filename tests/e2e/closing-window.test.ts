import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { caseFactory } from '../support/cases';
import { recordHistory } from '../support/histories';
import { caller, eventually, seedMatter } from '../support/http';
import { startSystem, unique, type TestSystem } from '../support/system';

/** A department's webhook receiver that answers 503 while `failing`, then 204. */
async function startReceiver() {
  const hits: { status: number; body: Record<string, unknown> }[] = [];
  let failing = true;
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      const status = failing ? 503 : 204;
      hits.push({ status, body: JSON.parse(body) as Record<string, unknown> });
      res.writeHead(status).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  return {
    hits,
    url: `http://127.0.0.1:${port}/hook`,
    recover: () => void (failing = false),
    close: () => new Promise((r) => server.close(r)),
  };
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

  it('ratings sent as fast as possible against the decision that completes the case: each is answered and recorded', async () => {
    const m = await seedMatter(sys, unique('CR'));
    const lead = caller(sys, sys.token('department', m.lead));
    const cases = await Promise.all(Array.from({ length: 12 }, () => caseFactory(sys, m).make('deciding')));
    const outcomes = await Promise.all(
      cases.map(async (c) => {
        const decided = lead.post(`/api/cases/${c.caseNo}/decision`, { decision: 'approve' });
        // Refused (case_not_ended) until the decision is decided in the workflow; then it lands in
        // the closing window: while the decision's events are recorded, or right after.
        for (;;) {
          const rated = await Promise.race([
            caller(sys).post(`/api/public/cases/${c.caseNo}/rating?code=${c.queryCode}`, { level: 4 }),
            new Promise<undefined>((r) => setTimeout(() => r(undefined), 30_000)),
          ]);
          if (rated?.body.code === 'case_not_ended') continue;
          return { caseNo: c.caseNo, decided: (await decided).status, rated: rated?.status ?? 'no answer in 30 s' };
        }
      }),
    );
    expect(outcomes).toEqual(cases.map((c) => ({ caseNo: c.caseNo, decided: 200, rated: 201 })));
    for (const c of cases) {
      await eventually(
        () => running(c.caseNo),
        (r) => !r,
        30_000,
      );
      expect((await events(c.caseNo)).slice(-2), c.caseNo).toEqual(['completed', 'rated']);
    }
  });
});
