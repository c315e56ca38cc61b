import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { caseEvents } from '../../db/repositories/case-events';
import { appendAndProject, rebuildProjections } from '../../db/repositories/case-projection';
import { reconcile } from '../../scripts/reconcile-lib';
import { caller, eventually, seedMatter, type MatterSetup } from '../support/http';
import { startSystem, unique, type TestSystem } from '../support/system';

const DAY = 1000;

describe('event store, projections, visibility, notifications and assessment', () => {
  let sys: TestSystem;
  let receiver: http.Server;
  const received: { key: string | undefined; body: any }[] = [];
  let failFirst = true;

  beforeAll(async () => {
    // The receiver below listens on loopback, which webhooks may reach only when allowed.
    sys = await startSystem({ demoDayMs: DAY, env: { WEBHOOK_ALLOW_PRIVATE: '1' } });
    receiver = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        if (failFirst) {
          failFirst = false; // the receiver is down once: Temporal must retry
          res.writeHead(503).end();
          return;
        }
        received.push({ key: req.headers['idempotency-key'] as string | undefined, body: JSON.parse(body) });
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
  });
  afterAll(async () => {
    await sys?.stop();
    await new Promise((r) => receiver?.close(r));
  });

  const window = () => caller(sys, sys.token('window', 'WIN'));
  const dept = (code: string) => caller(sys, sys.token('department', code));
  const submit = async (m: MatterSetup) =>
    (
      await window().post('/api/cases', {
        matterCode: m.matterCode,
        applicant: { name: '吴九' },
        materials: m.materials.map((x) => x.code),
      })
    ).body.caseNo as string;

  it('appends each event exactly once, however often the activity is retried', async () => {
    const m = await seedMatter(sys, unique('I'));
    const caseNo = await submit(m);
    const events = await caseEvents(sys.db, caseNo);
    expect(events.length).toBeGreaterThan(3);
    await Promise.all(Array.from({ length: 5 }, () => appendAndProject(sys.db, caseNo, events)));
    expect(await caseEvents(sys.db, caseNo)).toEqual(events);
    await expect(sql`update case_events set type = 'x' where case_no = ${caseNo}`.execute(sys.db)).rejects.toThrow(
      /append-only/,
    );
  });

  it('delivers notices to a department webhook, retried until delivered, with an idempotency key', async () => {
    const suffix = unique('K');
    const m = await seedMatter(sys, suffix);
    const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks`;
    expect(
      (await caller(sys, sys.token('admin')).put(`/api/departments/${m.co[0]}`, { name: '消防', webhookUrl: url }))
        .status,
    ).toBe(200);
    const caseNo = await submit(m);
    const got = await eventually(
      async () => received.filter((r) => r.body.caseNo === caseNo),
      (r) => r.length >= 1,
      30_000,
    );
    expect(got[0]!.body).toMatchObject({ kind: 'copy', dept: m.co[0], caseNo, round: 1 });
    expect(got[0]!.key).toBe(got[0]!.body.key);
    const inbox = await dept(m.co[0]!).get('/api/inbox');
    const notice = inbox.body.find((n: { key: string }) => n.key === got[0]!.key);
    await eventually(
      async () => (await dept(m.co[0]!).get('/api/inbox')).body.find((n: { key: string }) => n.key === got[0]!.key),
      (n) => n?.deliveredAt !== null,
    );
    expect(notice.kind).toBe('copy');
  });

  it('finds overdue, at-risk and stuck cases with their blocking departments, and scores departments', async () => {
    const m = await seedMatter(sys, unique('V'), {
      deptReviewDays: 1,
      timeLimitDays: 3,
      warnDays: 1,
      silencePolicy: 'escalate_only',
    });
    const caseNo = await submit(m);
    await dept(m.lead).post(`/api/cases/${caseNo}/opinions`, { verdict: 'approve' });
    const supervisor = caller(sys, sys.token('supervisor'));
    const overdue = await eventually(
      async () => (await supervisor.get(`/api/supervision/cases?filter=overdue&dept=${m.co[0]}`)).body,
      (b) => b.some((c: { caseNo: string }) => c.caseNo === caseNo),
      10_000,
    );
    const row = overdue.find((c: { caseNo: string }) => c.caseNo === caseNo);
    expect(row.blockingDepts.map((b: { dept: string }) => b.dept).sort()).toEqual([...m.co].sort());
    expect(row.blockingDepts.every((b: { overdue: boolean }) => b.overdue)).toBe(true);
    const stuck = await supervisor.get('/api/supervision/cases?filter=stuck&stalledHours=0');
    expect(stuck.body.some((c: { caseNo: string }) => c.caseNo === caseNo)).toBe(true);
    const notStuck = await supervisor.get('/api/supervision/cases?filter=stuck&stalledHours=1');
    expect(notStuck.body.some((c: { caseNo: string }) => c.caseNo === caseNo)).toBe(false);

    await supervisor.post(`/api/cases/${caseNo}/urge`, { message: '请尽快出具意见' });
    await dept(m.co[0]!).post(`/api/cases/${caseNo}/opinions`, { verdict: 'approve' });
    const today = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
    const stats = await supervisor.get(`/api/supervision/stats?from=${today}&to=${today}`);
    const fire = stats.body.find((s: { dept: string }) => s.dept === m.co[0]);
    expect(fire).toMatchObject({ received: 1, given: 1, late: 1, urged: 1 });
    expect(fire.lateWorkingDays).toBeGreaterThanOrEqual(1);
    expect(fire.score).toBe(Math.max(0, 10 - fire.lateWorkingDays));
    const monthSoFar = await supervisor.get('/api/supervision/stats');
    expect(monthSoFar.body.find((s: { dept: string }) => s.dept === m.co[0])).toEqual(fire);
    const lead = stats.body.find((s: { dept: string }) => s.dept === m.lead);
    expect(lead).toMatchObject({ received: 1, given: 1, onTime: 1, late: 0, lateWorkingDays: 0, score: 10 });
  });

  it('Temporal visibility agrees with the projections, and reconcile finds a planted drift', async () => {
    const m = await seedMatter(sys, unique('Z'));
    const a = await submit(m);
    const b = await submit(m);
    await dept(m.lead).post(`/api/cases/${b}/opinions`, { verdict: 'approve' });
    const clean = await eventually(
      () => reconcile(sys.db, sys.client, { matterCode: m.matterCode }),
      (r) => r.drift.length === 0 && r.checked === 2,
      15_000,
    );
    expect(clean.checked).toBe(2);
    await sys.db.updateTable('cases').set({ alert: 'red' }).where('case_no', '=', a).execute();
    const planted = await reconcile(sys.db, sys.client, { matterCode: m.matterCode });
    expect(planted.drift).toEqual([{ caseNo: a, field: 'alert', temporal: 'none', projection: 'red' }]);
    await sys.db.updateTable('cases').set({ alert: 'none' }).where('case_no', '=', a).execute();
    expect((await reconcile(sys.db, sys.client, { matterCode: m.matterCode })).drift).toEqual([]);
  });

  it('rebuilds projections from the events alone, equal to the live ones', async () => {
    const m = await seedMatter(sys, unique('B'), { deptReviewDays: 20, timeLimitDays: 30 });
    const caseNo = await submit(m);
    await dept(m.co[0]!).post(`/api/cases/${caseNo}/opinions`, {
      verdict: 'request_supplement',
      materials: [{ code: 'x', name: 'X' }],
    });
    await dept(m.co[1]!).post(`/api/cases/${caseNo}/opinions`, { verdict: 'approve', fees: [] });
    await dept(m.lead).post(`/api/cases/${caseNo}/opinions`, {
      verdict: 'approve',
      fees: [{ item: '规划许可费', amountCents: 1_000 }],
    });
    await window().post(`/api/cases/${caseNo}/supplements`, { materials: ['x'] });
    await dept(m.co[0]!).post(`/api/cases/${caseNo}/opinions`, {
      verdict: 'approve',
      fees: [{ item: '消防审核费', amountCents: 500 }],
    });
    await dept(m.lead).post(`/api/cases/${caseNo}/decision`, { decision: 'approve' });
    const snapshot = async () => ({
      cases: await sys.db.selectFrom('cases').selectAll().orderBy('case_no').execute(),
      tasks: await sys.db
        .selectFrom('case_tasks')
        .selectAll()
        .orderBy('case_no')
        .orderBy('dept')
        .orderBy('round')
        .execute(),
      fees: await sys.db
        .selectFrom('case_fees')
        .selectAll()
        .orderBy('case_no')
        .orderBy('dept')
        .orderBy('item')
        .execute(),
    });
    // Quiesce: no worker writes while we compare (timers of other cases could fire).
    await sys.stopWorker();
    const live = await snapshot();
    expect(live.tasks.filter((t) => t.case_no === caseNo)).toHaveLength(4);
    expect(live.fees.filter((f) => f.case_no === caseNo)).toHaveLength(2);
    const result = await rebuildProjections(sys.db, { batchCases: 7 });
    expect(result.cases).toBe(live.cases.length);
    const rebuilt = await snapshot();
    expect(rebuilt).toEqual(live);
  });
});
