import { WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REFUSAL_STATUS } from '../../api/refusal-status';
import type { Actor } from '../../domain/types';
import { commandUpdate } from '../../workflows/definitions';
import { caseFactory } from '../support/cases';
import { recordHistory } from '../support/histories';
import { caller, seedMatter, type MatterSetup } from '../support/http';
import { startSystem, unique, type TestSystem } from '../support/system';

/** Fails the test instead of hanging when a command never answers (what a wedged case did). */
const within = <T>(ms: number, p: Promise<T>) =>
  Promise.race([
    p,
    new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`no answer in ${ms} ms`)), ms)),
  ]);

/**
 * Data the event store refuses, past the API's checks (here sent to the workflow directly): the
 * command is answered at once with a clear refusal, supervisors are alerted, and the case goes on.
 */
describe('events the store cannot take', () => {
  let sys: TestSystem;
  let m: MatterSetup;
  beforeAll(async () => {
    sys = await startSystem();
    m = await seedMatter(sys, unique('U'));
  });
  afterAll(async () => sys?.stop());

  const alerts = async (caseNo: string) =>
    (await caller(sys, sys.token('supervisor')).get('/api/inbox?limit=500')).body.filter(
      (n: { caseNo: string; kind: string }) => n.caseNo === caseNo && n.kind === 'events_unrecordable',
    );

  it('a NUL in sub: 422 events_unrecordable at once, an alert in the supervisors’ inbox, and later commands work', async () => {
    const c = await caseFactory(sys, m).make('in_review');
    const badActor: Actor = { sub: 'lead\u0000one', role: 'department', dept: m.lead };
    // Sent to the workflow directly: the API refuses such a token at the edge (401 invalid_claims).
    const update = sys.client.workflow.getHandle(c.caseNo).executeUpdate(commandUpdate, {
      args: [{ command: { type: 'give_opinion', opinion: { verdict: 'approve' } }, actor: badActor }],
    });
    const err = await within(
      20_000,
      update.then(
        () => undefined,
        (e: unknown) => e,
      ),
    );
    expect(err).toBeInstanceOf(WorkflowUpdateFailedError);
    const cause = (err as WorkflowUpdateFailedError).cause;
    expect((cause as ApplicationFailure).type).toBe('events_unrecordable');
    // The API's one table says how it answers: 422 events_unrecordable, a clear refusal.
    expect(REFUSAL_STATUS.events_unrecordable).toBe(422);

    const [alert] = await alerts(c.caseNo);
    expect(alert.payload).toMatchObject({ caseNo: c.caseNo, types: ['opinion_given'], sqlState: '22021' });
    expect(JSON.stringify(alert.payload)).not.toContain('\u0000');

    // The case is as it was: the lead has not answered, and answers now.
    const lead = caller(sys, sys.token('department', m.lead));
    const view = await lead.get(`/api/cases/${c.caseNo}`);
    expect(view.body.departments.find((d: { dept: string }) => d.dept === m.lead).status).toBe('pending');
    const given = await within(20_000, lead.post(`/api/cases/${c.caseNo}/opinions`, { verdict: 'approve' }));
    expect(given.status).toBe(200);
    expect(given.body.departments.find((d: { dept: string }) => d.dept === m.lead).status).toBe('given');
    const events = (await lead.get(`/api/cases/${c.caseNo}/events`)).body as { seq: number; type: string }[];
    expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i + 1)); // no gap, nothing twice
    expect(events.filter((e) => e.type === 'opinion_given')).toHaveLength(1);
    await recordHistory(sys, c.caseNo, 'events-unrecordable');
  });

  it('a lone surrogate inside the command data, sent to the workflow: refused the same way, the case goes on', async () => {
    const c = await caseFactory(sys, m).make('in_review');
    const co = m.co[0]!;
    const update = sys.client.workflow.getHandle(c.caseNo).executeUpdate(commandUpdate, {
      args: [
        {
          command: { type: 'give_opinion', opinion: { verdict: 'approve', comment: 'ok \ud800' } },
          actor: { sub: 'co-one', role: 'department', dept: co },
        },
      ],
    });
    const err = await within(
      20_000,
      update.then(
        () => undefined,
        (e: unknown) => e,
      ),
    );
    expect(err).toBeInstanceOf(WorkflowUpdateFailedError);
    const cause = (err as WorkflowUpdateFailedError).cause;
    expect(cause).toBeInstanceOf(ApplicationFailure);
    expect((cause as ApplicationFailure).type).toBe('events_unrecordable');
    expect(await alerts(c.caseNo)).toHaveLength(1);
    const again = await within(
      20_000,
      caller(sys, sys.token('department', co)).post(`/api/cases/${c.caseNo}/opinions`, {
        verdict: 'approve',
        comment: 'ok',
      }),
    );
    expect(again.status).toBe(200);
  });
});
