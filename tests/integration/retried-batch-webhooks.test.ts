import { sql } from 'kysely';
import { ApplicationFailure } from '@temporalio/common';
import { NativeConnection, Worker } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createActivities } from '../../activities';
import { caseEvents } from '../../db/repositories/case-events';
import { markDelivered } from '../../db/repositories/notifications';
import { packEvents } from '../../domain/event-batch';
import { caller, eventually, seedMatter } from '../support/http';
import { caseFactory } from '../support/cases';
import { startSystem, unique, type TestSystem } from '../support/system';
import { startWebhookReceiver } from '../support/webhook-receiver';

/** A local receiver that takes every POST (204) and keeps it. */
const startReceiver = () =>
  startWebhookReceiver(({ headers, body }) => ({
    key: String(headers['idempotency-key']),
    body: JSON.parse(body) as Record<string, unknown>,
  }));

/**
 * recordEvents retried after its first attempt committed (the worker died or the activity timed out
 * before Temporal heard the answer): the retry writes nothing again, and still answers the webhook
 * deliveries of the batch's notices, so the departments are called all the same — once each.
 */
describe('a retried event batch still calls the departments’ webhooks', () => {
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

  it('answers the first attempt’s deliveries again, from the notices filed once', async () => {
    const m = await seedMatter(sys, unique('RB'));
    // The submission's batch of a real case (accepted at once: copies to the three departments).
    const { caseNo } = await caseFactory(sys, m).make('in_review');
    const first = await sql<{ seq: number }>`
      select seq from case_events where case_no = ${caseNo}
        and recorded_at = (select recorded_at from case_events where case_no = ${caseNo} and seq = 1)`.execute(sys.db);
    const inFirst = new Set(first.rows.map((r) => r.seq));
    const copy = unique('JA-RETRY-');
    const batch = (await caseEvents(sys.db, caseNo))
      .filter((e) => inFirst.has(e.seq))
      .map((e) => ({ ...e, caseNo: copy }));
    expect(batch.filter((e) => e.type === 'copied_to_department')).toHaveLength(3);
    const [co0, co1] = m.co as [string, string];
    await sys.db
      .updateTable('departments')
      .set({ webhook_url: receiver.url })
      .where('code', 'in', [co0, co1])
      .execute();
    const activities = createActivities({ db: sys.db, webhookAllowPrivate: true });
    const noticesOf = () =>
      sys.db
        .selectFrom('notifications')
        .select(['key', 'delivered_at'])
        .where('case_no', '=', copy)
        .orderBy('key')
        .execute();

    // The first attempt commits; its answer never reaches the workflow.
    const lost = await activities.recordEvents(copy, packEvents(copy, batch));
    expect(lost.map((d) => d.payload.dept).sort()).toEqual([co0, co1].sort());
    const stored = await noticesOf();

    const retried = await activities.recordEvents(copy, packEvents(copy, batch));
    expect(retried).toEqual(lost);
    expect(await noticesOf()).toEqual(stored); // nothing filed twice
    expect((await caseEvents(sys.db, copy)).map((e) => e.seq)).toEqual(batch.map((e) => e.seq));

    // A notice delivered since is not answered again by a later retry; the other still is.
    await markDelivered(sys.db, lost[0]!.key, new Date());
    expect(await activities.recordEvents(copy, packEvents(copy, batch))).toEqual(lost.slice(1));
  });

  it('a case whose batches’ first answers are lost still calls the department’s webhook (a real Temporal retry)', async () => {
    const m = await seedMatter(sys, unique('RT'));
    await caller(sys, sys.token('admin')).put(`/api/departments/${m.co[0]}`, {
      name: '消防',
      webhookUrl: receiver.url,
    });
    // The case's worker, with a fault: every recordEvents' first attempt commits, then its answer
    // is lost (as when the worker dies or the activity times out after the COMMIT); Temporal retries.
    await sys.stopWorker();
    const lostAnswers: string[] = [];
    const connection = await NativeConnection.connect({ address: sys.config.temporalAddress });
    const faulty = await Worker.create({
      connection,
      namespace: sys.config.temporalNamespace,
      taskQueue: sys.config.taskQueue,
      workflowBundle: { codePath: inject('workflowBundlePath') },
      activities: createActivities({ db: sys.db, webhookAllowPrivate: true }),
      interceptors: {
        activity: [
          (ctx) => ({
            inbound: {
              async execute(input, next) {
                const answer = await next(input);
                if (ctx.info.activityType !== 'recordEvents' || ctx.info.attempt > 1) return answer;
                lostAnswers.push(ctx.info.workflowExecution?.workflowId ?? '');
                throw ApplicationFailure.retryable('the answer of a committed attempt was lost', 'answer_lost');
              },
            },
          }),
        ],
      },
    });
    const running = faulty.run();
    try {
      const submitted = await caller(sys, sys.token('window', 'WIN')).post('/api/cases', {
        matterCode: m.matterCode,
        applicant: { name: '重试' },
        materials: m.materials.map((x) => x.code),
      });
      expect(submitted.status).toBe(201);
      const caseNo = submitted.body.caseNo as string;
      expect(lostAnswers).toContain(caseNo);
      const hits = await eventually(
        async () => receiver.hits.filter((h) => h.body.caseNo === caseNo),
        (h) => h.length >= 1,
      );
      expect(hits.map((h) => `${h.body.dept} ${h.body.kind} ${h.key}`)).toEqual([
        `${m.co[0]} copy ${caseNo}:${hits[0]!.body.seq}:${m.co[0]}`,
      ]);
      await eventually(
        () =>
          sys.db
            .selectFrom('notifications')
            .select('delivered_at')
            .where('key', '=', hits[0]!.key)
            .executeTakeFirstOrThrow(),
        (n) => n.delivered_at !== null,
      );
    } finally {
      faulty.shutdown();
      await running;
      await connection.close();
    }
  });
});
