import { randomUUID } from 'node:crypto';
import { WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveTimeModel } from '../../db/repositories/calendars';
import { appendAfter } from '../../db/repositories/case-projection';
import { caseState } from '../../db/repositories/cases';
import { applyCommand } from '../../domain/apply';
import type { CaseCommand } from '../../domain/commands';
import type { CaseEvent } from '../../domain/events';
import type { Actor } from '../../domain/types';
import { commandUpdate, stateQuery, type UserCommand } from '../../workflows/definitions';
import { caller, eventually, seedMatter, type MatterSetup } from '../support/http';
import { recordHistory } from '../support/histories';
import { startSystem, unique, type TestSystem } from '../support/system';
import { startWebhookReceiver } from '../support/webhook-receiver';

const approve: UserCommand = { type: 'give_opinion', opinion: { verdict: 'approve' } };

/**
 * A workflow task that appended its events by local activity (patch l14-local-append) and was then
 * lost (a worker crash, a task timeout) leaves those events in the store while Temporal delivers
 * its Updates again, maybe in another order. Simulated deterministically: the events such a task
 * would have decided are written as it would have written them ("the phantom"), then the Updates
 * are sent straight through the Temporal client. The case adopts what the users have already seen:
 * nothing is lost, nothing done twice, and a command those events made invalid is refused.
 */
describe('events a lost workflow task recorded are adopted by the case', () => {
  let sys: TestSystem;
  let m: MatterSetup;
  beforeAll(async () => {
    // Private webhook targets allowed, for a department receiver on this machine.
    sys = await startSystem({ listen: true, env: { WEBHOOK_ALLOW_PRIVATE: '1' } });
    m = await seedMatter(sys, unique('LT'));
  });
  afterAll(async () => sys?.stop());

  /** The actor the API makes of a department's token (tests/support/system.ts token). */
  const deptActor = (dept: string): Actor => ({
    sub: `department-${dept}`,
    role: 'department',
    dept,
    name: `department-${dept}`,
  });
  const supervisor = () => caller(sys, sys.token('supervisor'));
  const view = async (caseNo: string) => (await supervisor().get(`/api/cases/${caseNo}`)).body;
  const events = async (caseNo: string) =>
    (await supervisor().get(`/api/cases/${caseNo}/events`)).body as { seq: number; type: string; data: any }[];
  const opinionsBy = async (caseNo: string) =>
    (await events(caseNo)).filter((e) => e.type === 'opinion_given').map((e) => e.data.dept as string);
  const workflowState = (caseNo: string) => sys.client.workflow.getHandle(caseNo).query(stateQuery);

  async function submitCase(): Promise<string> {
    const res = await caller(sys, sys.token('window', 'WIN')).post('/api/cases', {
      matterCode: m.matterCode,
      applicant: { name: '孙八' },
      materials: m.materials.map((x) => x.code),
    });
    expect(res.status).toBe(201);
    expect(res.body.status).toBe('accepted');
    return res.body.caseNo as string;
  }

  /** One Update a lost workflow task decided: its id (the API's receipt), command, actor and receipt time. */
  interface LostUpdate {
    updateId: string;
    command: CaseCommand;
    actor: Actor;
    receivedAt: number;
    /** The seq of its last event in the store. */
    seq: number;
  }

  /**
   * What a lost workflow task leaves behind: its Updates' commands decided one after the other
   * against the workflow's state, as its own task would (the same rules, context and receipts), and
   * appended in one batch after the last seq the case knows recorded, each event with the Update that
   * decided it. The workflow itself never hears of it.
   */
  async function phantomBatch(caseNo: string, commands: { command: CaseCommand; actor: Actor }[]) {
    let state = await workflowState(caseNo);
    const before = state.seq;
    const time = await resolveTimeModel(sys.db, state.time);
    const decided: CaseEvent[] = [];
    const ids: string[] = [];
    const lost: LostUpdate[] = [];
    for (const { command, actor } of commands) {
      const updateId = `receipt-${randomUUID()}`;
      const receivedAt = Date.now();
      const applied = applyCommand(command, state, caseNo, {
        now: Date.now(),
        time,
        actor,
        legalTimes: true,
        receivedAt,
      });
      state = applied.state!;
      decided.push(...applied.events);
      ids.push(...applied.events.map(() => updateId));
      lost.push({ updateId, command, actor, receivedAt, seq: applied.events.at(-1)!.seq });
    }
    const outcome = await appendAfter(sys.db, caseNo, before, decided, ids);
    expect(outcome).toHaveProperty('recorded');
    return { lost, before, seq: decided.at(-1)!.seq, state };
  }

  /** A lost task that decided one department's opinion. */
  async function phantomOpinion(caseNo: string, dept: string): Promise<LostUpdate & { before: number }> {
    const { lost, before } = await phantomBatch(caseNo, [{ command: approve, actor: deptActor(dept) }]);
    expect((await events(caseNo)).filter((e) => e.seq > before).map((e) => e.type)).toEqual(['opinion_given']);
    return { ...lost[0]!, before };
  }

  /** An Update as Temporal delivers it to the case: the command, its actor and receipt, under its id. */
  const sendUpdate = (caseNo: string, updateId: string, actor: Actor, receivedAt: number, command: CaseCommand) =>
    sys.client.workflow.getHandle(caseNo).executeUpdate(commandUpdate, {
      updateId,
      args: [{ command: command as UserCommand, actor, receivedAt }],
    });

  /** The refusal's stable code (the ApplicationFailure type the API turns into problem+json). */
  async function refusalCode(p: Promise<unknown>): Promise<string | undefined> {
    const err = await p.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(WorkflowUpdateFailedError);
    const cause = (err as WorkflowUpdateFailedError).cause;
    expect(cause).toBeInstanceOf(ApplicationFailure);
    return (cause as ApplicationFailure).type ?? undefined;
  }

  /** The workflow's state and the projection's agree on the version and every department's task. */
  async function expectWorkflowMatchesProjection(caseNo: string) {
    const [running, projected] = [await workflowState(caseNo), (await caseState(sys.db, caseNo))!];
    expect(running.seq).toBe(projected.seq);
    expect(running.departments).toEqual(projected.departments);
    expect(running.status).toBe(projected.status);
  }

  it("answers the lost task's own Update, delivered again, from the events it recorded", async () => {
    const caseNo = await submitCase();
    const phantom = await phantomOpinion(caseNo, m.co[0]!);
    // Users already see the phantom's opinion (it is in the store and the projection).
    expect(await opinionsBy(caseNo)).toEqual([m.co[0]]);

    const answer = await sendUpdate(caseNo, phantom.updateId, phantom.actor, phantom.receivedAt, approve);
    expect(answer).toEqual({ seq: phantom.seq });

    // Once, not twice: the same opinion is not recorded again, and nothing else was written.
    expect(await opinionsBy(caseNo)).toEqual([m.co[0]]);
    const stored = await events(caseNo);
    expect(stored.at(-1)!.seq).toBe(phantom.seq);
    expect(new Set(stored.map((e) => e.seq)).size).toBe(stored.length);
    const shown = await view(caseNo);
    expect(shown.status).toBe('in_review');
    expect(shown.departments.find((d: { dept: string }) => d.dept === m.co[0])).toMatchObject({
      status: 'given',
      verdict: 'approve',
    });
    // The workflow took the adopted events as its own state.
    await expectWorkflowMatchesProjection(caseNo);
    expect((await workflowState(caseNo)).seq).toBe(phantom.seq);
    // Sent once more, Temporal answers the same Update's outcome (nothing decided again).
    expect(await sendUpdate(caseNo, phantom.updateId, phantom.actor, phantom.receivedAt, approve)).toEqual({
      seq: phantom.seq,
    });
    expect(await opinionsBy(caseNo)).toEqual([m.co[0]]);
    await recordHistory(sys, caseNo, 'lost-task-adopted');
  });

  it('decides an Update redelivered first on top of the adopted events, then answers the lost one, and the case goes on', async () => {
    const caseNo = await submitCase();
    const phantom = await phantomOpinion(caseNo, m.co[0]!);

    // Another department's Update comes first: decided against the case without the phantom,
    // it meets the stored events, adopts them and is decided again after them.
    const other = await sendUpdate(caseNo, `receipt-${randomUUID()}`, deptActor(m.co[1]!), Date.now(), approve);
    expect(other).toEqual({ seq: phantom.seq + 1 });
    // Then the lost task's own Update: accepted, answered from the phantom, neither repeated nor refused.
    const lost = await sendUpdate(caseNo, phantom.updateId, phantom.actor, phantom.receivedAt, approve);
    expect(lost).toEqual({ seq: phantom.seq });

    expect((await opinionsBy(caseNo)).sort()).toEqual([m.co[0], m.co[1]].sort());
    const stored = await events(caseNo);
    expect(stored.map((e) => e.seq)).toEqual(stored.map((_, i) => i + 1));
    const byDept = new Map(
      (await view(caseNo)).departments.map((d: { dept: string; status: string }) => [d.dept, d.status]),
    );
    expect(byDept.get(m.co[0]!)).toBe('given');
    expect(byDept.get(m.co[1]!)).toBe('given');
    expect(byDept.get(m.lead)).toBe('pending');
    await expectWorkflowMatchesProjection(caseNo);
    // The store keeps each opinion with the Update that decided it.
    const rows = await sys.db
      .selectFrom('case_events')
      .select(['seq', 'update_id'])
      .where('case_no', '=', caseNo)
      .where('type', '=', 'opinion_given')
      .orderBy('seq')
      .execute();
    expect(rows[0]).toEqual({ seq: phantom.seq, update_id: phantom.updateId });
    expect(rows[1]!.seq).toBe(phantom.seq + 1);
    expect(rows[1]!.update_id).not.toBe(phantom.updateId);

    // The third opinion over HTTP moves the case to its decision, and the lead department decides.
    const third = await caller(sys, sys.token('department', m.lead)).post(`/api/cases/${caseNo}/opinions`, {
      verdict: 'approve',
    });
    expect(third.status, JSON.stringify(third.body)).toBe(200);
    expect(third.body.status).toBe('deciding');
    const decided = await caller(sys, sys.token('department', m.lead)).post(`/api/cases/${caseNo}/decision`, {
      decision: 'approve',
    });
    expect(decided.status, JSON.stringify(decided.body)).toBe(200);
    expect(decided.body.status).toBe('completed');
    expect(decided.body.result.number).toMatch(/^XK/);
    const final = await view(caseNo);
    expect(final.status).toBe('completed');
    expect(final.departments.map((d: { status: string }) => d.status)).toEqual(['given', 'given', 'given']);
    const opinions = await opinionsBy(caseNo);
    expect(opinions.sort()).toEqual([m.lead, ...m.co].sort());
    expect(await sys.client.workflow.getHandle(caseNo).result()).toEqual({ seq: (await events(caseNo)).at(-1)!.seq });
    await recordHistory(sys, caseNo, 'lost-task-adopted-reordered');
  });

  it('refuses, with the domain code, a command the adopted events make invalid, and changes nothing', async () => {
    const caseNo = await submitCase();
    const phantom = await phantomOpinion(caseNo, m.co[0]!);

    // The same department's opinion under a new receipt: valid against the case the workflow knew,
    // it meets the adopted opinion and is refused as decide refuses a second opinion.
    const again = sendUpdate(caseNo, `receipt-${randomUUID()}`, phantom.actor, Date.now(), approve);
    expect(await refusalCode(again)).toBe('opinion_already_given');
    // Now the workflow knows the adopted opinion: its validator refuses at once.
    const onceMore = sendUpdate(caseNo, `receipt-${randomUUID()}`, phantom.actor, Date.now(), approve);
    expect(await refusalCode(onceMore)).toBe('opinion_already_given');
    // Over HTTP the department sees the same refusal as problem+json.
    const http = await caller(sys, sys.token('department', m.co[0]!)).post(`/api/cases/${caseNo}/opinions`, {
      verdict: 'approve',
    });
    expect(http.status).toBe(409);
    expect(http.body.code).toBe('opinion_already_given');

    expect(await opinionsBy(caseNo)).toEqual([m.co[0]]);
    expect((await events(caseNo)).at(-1)!.seq).toBe(phantom.seq);
    await expectWorkflowMatchesProjection(caseNo);
    // The lost task's own Update is still answered from its events.
    expect(await sendUpdate(caseNo, phantom.updateId, phantom.actor, phantom.receivedAt, approve)).toEqual({
      seq: phantom.seq,
    });
    expect((await events(caseNo)).at(-1)!.seq).toBe(phantom.seq);
    // (lost-task-adopted-refused.json, kept as the build before the store read wrote it, is not re-recorded.)
    await recordHistory(sys, caseNo, 'lost-task-refused-after-store-read');
  });

  it("answers a lost task's Update that depended on another of its Updates, even when it is delivered first", async () => {
    const caseNo = await submitCase();
    for (const dept of m.co) {
      const res = await caller(sys, sys.token('department', dept)).post(`/api/cases/${caseNo}/opinions`, {
        verdict: 'approve',
      });
      expect(res.status).toBe(200);
    }
    // The lost task took the lead's opinion (the case to its decision) and then the lead's decision.
    const decide: CaseCommand = { type: 'decide', decision: 'approve' };
    const lead = deptActor(m.lead);
    const phantom = await phantomBatch(caseNo, [
      { command: approve, actor: lead },
      { command: decide, actor: lead },
    ]);
    expect(phantom.state.status).toBe('completed');
    const [opinion, decision] = phantom.lost as [LostUpdate, LostUpdate];
    // Users see the case decided: the store holds it.
    expect((await view(caseNo)).status).toBe('completed');

    // Temporal delivers the lost task's Updates again in the next workflow task, maybe the decision
    // first (here: both sent while no worker runs, the decision first, so one task takes both). The
    // decision was accepted and recorded: it is answered from the store, never refused as if the case
    // were still waiting for the lead's opinion.
    await sys.stopWorker();
    const decisionAnswer = sendUpdate(caseNo, decision.updateId, decision.actor, decision.receivedAt, decision.command);
    await new Promise((r) => setTimeout(r, 500));
    const opinionAnswer = sendUpdate(caseNo, opinion.updateId, opinion.actor, opinion.receivedAt, opinion.command);
    await new Promise((r) => setTimeout(r, 500));
    await sys.restartWorker(0);
    expect(await decisionAnswer).toEqual({ seq: decision.seq });
    expect(await opinionAnswer).toEqual({ seq: opinion.seq });
    const stored = await events(caseNo);
    expect(stored.filter((e) => e.type === 'decided')).toHaveLength(1);
    expect(stored.at(-1)!.seq).toBe(phantom.seq);
    expect(await sys.client.workflow.getHandle(caseNo).result()).toEqual({ seq: phantom.seq });
    expect((await view(caseNo)).status).toBe('completed');
    await recordHistory(sys, caseNo, 'lost-task-adopted-dependent');
  });

  it("reads the store before refusing: a decision the lost task's events made valid is decided after them", async () => {
    const caseNo = await submitCase();
    for (const dept of m.co) {
      const res = await caller(sys, sys.token('department', dept)).post(`/api/cases/${caseNo}/opinions`, {
        verdict: 'approve',
      });
      expect(res.status).toBe(200);
    }
    // The lost task took the lead's opinion: users see the case waiting for its decision.
    const lead = deptActor(m.lead);
    const phantom = await phantomBatch(caseNo, [{ command: approve, actor: lead }]);
    expect(phantom.state.status).toBe('deciding');
    expect((await view(caseNo)).status).toBe('deciding');
    // The lead decides (a new receipt). Against the case as the workflow knows it the decision would
    // be refused (an opinion pending); read from the store first, it follows the adopted opinion.
    const decision = await sendUpdate(caseNo, `receipt-${randomUUID()}`, lead, Date.now(), {
      type: 'decide',
      decision: 'approve',
    });
    expect(decision.seq).toBeGreaterThan(phantom.seq);
    const stored = await events(caseNo);
    expect(stored.at(-1)!.seq).toBe(decision.seq);
    expect(stored.filter((e) => e.type === 'decided')).toHaveLength(1);
    expect(
      stored
        .filter((e) => e.type === 'opinion_given')
        .map((e) => e.data.dept)
        .sort(),
    ).toEqual([m.lead, ...m.co].sort());
    expect((await view(caseNo)).status).toBe('completed');
    expect(await sys.client.workflow.getHandle(caseNo).result()).toEqual({ seq: decision.seq });
    // In its history: the read (an empty append that found the lost task's opinion), then the decision's append.
    const history = (await sys.client.workflow.getHandle(caseNo).fetchHistory()).events ?? [];
    const results = history
      .filter((e) => e.markerRecordedEventAttributes?.markerName === 'core_local_activity')
      .map((e) =>
        JSON.parse(Buffer.from(e.markerRecordedEventAttributes!.details!['result']!.payloads![0]!.data!).toString()),
      );
    expect(results.filter((r) => 'adopted' in r)).toHaveLength(1);
    expect(results.at(-1)).toHaveProperty('recorded');
    await recordHistory(sys, caseNo, 'lost-task-store-read');
  });

  it("delivers the webhooks the lost task's events call for, once, when the case adopts them", async () => {
    const w = await seedMatter(sys, unique('LW'));
    const receiver = await startWebhookReceiver(({ body }) => JSON.parse(body) as { key: string; kind: string });
    try {
      const admin = caller(sys, sys.token('admin'));
      for (const dept of [w.lead, ...w.co]) {
        const put = await admin.put(`/api/departments/${dept}`, { name: `dept ${dept}`, webhookUrl: receiver.url });
        expect(put.status).toBe(200);
      }
      const res = await caller(sys, sys.token('window', 'WIN')).post('/api/cases', {
        matterCode: w.matterCode,
        applicant: { name: '周九' },
        materials: w.materials.map((x) => x.code),
      });
      expect(res.status).toBe(201);
      const caseNo = res.body.caseNo as string;
      const urges = () => receiver.hits.filter((h) => h.kind === 'urge' && JSON.stringify(h).includes(caseNo));
      // The lost task took a supervisor's urge: its notices are filed, their webhooks never started.
      const supervisorActor: Actor = { sub: 'supervisor-x', role: 'supervisor', name: 'supervisor-x' };
      const urge: CaseCommand = { type: 'urge', message: '请尽快办理' };
      const phantom = await phantomBatch(caseNo, [{ command: urge, actor: supervisorActor }]);
      const [lost] = phantom.lost as [LostUpdate];
      const filed = await sys.db
        .selectFrom('notifications')
        .select(['key', 'dept', 'delivered_at'])
        .where('case_no', '=', caseNo)
        .where('kind', '=', 'urge')
        .execute();
      expect(filed.map((n) => n.dept).sort()).toEqual([w.lead, ...w.co].sort());
      expect(filed.every((n) => n.delivered_at === null)).toBe(true);
      await new Promise((r) => setTimeout(r, 300));
      expect(urges()).toEqual([]);

      // Its Update delivered again: answered from the adopted events, and their webhooks go out.
      expect(await sendUpdate(caseNo, lost.updateId, lost.actor, lost.receivedAt, lost.command)).toEqual({
        seq: lost.seq,
      });
      const calls = await eventually(
        async () => urges(),
        (h) => h.length >= filed.length,
      );
      expect(calls.map((h) => h.key).sort()).toEqual(filed.map((n) => n.key).sort());
      await eventually(
        () =>
          sys.db
            .selectFrom('notifications')
            .select('delivered_at')
            .where(
              'key',
              'in',
              filed.map((n) => n.key),
            )
            .execute(),
        (rows) => rows.every((r) => r.delivered_at !== null),
      );
      // Once each: nothing delivered twice, and the urge recorded once.
      await new Promise((r) => setTimeout(r, 500));
      expect(urges()).toHaveLength(filed.length);
      expect((await events(caseNo)).filter((e) => e.type === 'urged')).toHaveLength(1);
    } finally {
      await receiver.close();
    }
  });
});
