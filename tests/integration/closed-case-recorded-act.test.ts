import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveTimeModel } from '../../db/repositories/calendars';
import { appendAfter } from '../../db/repositories/case-projection';
import { applyCommand } from '../../domain/apply';
import type { Actor } from '../../domain/types';
import { stateQuery } from '../../workflows/definitions';
import { caseFactory } from '../support/cases';
import { caller, seedMatter, type MatterSetup } from '../support/http';
import { outageApis } from '../support/outage-api';
import { startSystem, unique, type TestSystem } from '../support/system';

/**
 * A workflow task that appended an act's events (by local activity, each event with its Update's
 * id, which is the API's receipt id) can be lost before the act's answer is stored; its Update may
 * then only be applied again once the workflow has closed. The client retrying with its
 * Idempotency-Key must hear that the act was done, not be refused by the closed case; a new act
 * (a new key) on that closed case is refused as before.
 */
describe('an act a lost task recorded, applied again after the case closed', () => {
  let sys: TestSystem;
  let m: MatterSetup;
  let factory: ReturnType<typeof caseFactory>;
  const outage = outageApis(() => sys);

  beforeAll(async () => {
    // The receipt applier stays out of the way (an hour between rounds): the client's own retry
    // applies the receipt again here, once the workflow has closed.
    sys = await startSystem({ env: { RECEIPT_APPLIER_INTERVAL_MS: '3600000' } });
    m = await seedMatter(sys, unique('CR'));
    factory = caseFactory(sys, m);
  });
  afterAll(async () => {
    await outage.close();
    await sys?.stop();
  });

  /** An API like the real one that receives commands durably but cannot reach Temporal. */
  const apiWithoutTemporal = () => outage.apiWithout('temporal');

  const events = async (caseNo: string) =>
    (await caller(sys, sys.token('supervisor')).get(`/api/cases/${caseNo}/events`)).body as {
      seq: number;
      type: string;
      data: any;
    }[];

  it('answers the retried act 200 with the case as stored, and still refuses a new act', async () => {
    const c = await factory.make('in_review');
    for (const dept of m.co) {
      const res = await caller(sys, sys.token('department', dept)).post(`/api/cases/${c.caseNo}/opinions`, {
        verdict: 'approve',
      });
      expect(res.status).toBe(200);
    }
    const lead = caller(sys, sys.token('department', m.lead));
    const opinion = { verdict: 'approve' };
    const key = unique('lost-');

    // The lead's opinion is received (its receipt stored) but its answer is never stored.
    const broken = await apiWithoutTemporal();
    const first = await outage
      .via(broken, sys.token('department', m.lead))
      .post(`/api/cases/${c.caseNo}/opinions`, opinion, { 'idempotency-key': key });
    expect(first.status).toBe(503);
    const receipt = await sys.db
      .selectFrom('command_receipts')
      .select(['id', 'received_at', 'state', 'payload'])
      .where('case_no', '=', c.caseNo)
      .where('key', '=', key)
      .executeTakeFirstOrThrow();
    expect(receipt.state).toBe('received');
    const { actor } = receipt.payload as { actor: Actor };

    // A workflow task decided it and appended its events under the receipt's Update id, then was
    // lost: the workflow never heard of it, the store holds it.
    const running = await sys.client.workflow.getHandle(c.caseNo).query(stateQuery);
    const applied = applyCommand({ type: 'give_opinion', opinion: { verdict: 'approve' } }, running, c.caseNo, {
      now: Date.now(),
      time: await resolveTimeModel(sys.db, running.time),
      actor,
      legalTimes: true,
      receivedAt: receipt.received_at.getTime(),
    });
    expect(applied.state!.status).toBe('deciding');
    const outcome = await appendAfter(
      sys.db,
      c.caseNo,
      running.seq,
      applied.events,
      applied.events.map(() => receipt.id),
    );
    expect(outcome).toHaveProperty('recorded');

    // The lead decides (a new act): the case, read from the store, completes and its workflow closes.
    const decided = await lead.post(`/api/cases/${c.caseNo}/decision`, { decision: 'approve' });
    expect(decided.status, JSON.stringify(decided.body)).toBe(200);
    expect(decided.body.status).toBe('completed');
    const closedAt = await sys.client.workflow.getHandle(c.caseNo).result();
    const before = await events(c.caseNo);
    expect(before.at(-1)!.seq).toBe(closedAt.seq);

    // The client retries its opinion with the same key: done, answered with the case as stored.
    const retried = await lead.post(`/api/cases/${c.caseNo}/opinions`, opinion, { 'idempotency-key': key });
    expect(retried.status, JSON.stringify(retried.body)).toBe(200);
    expect(retried.body).toEqual((await lead.get(`/api/cases/${c.caseNo}`)).body);
    expect(retried.body.status).toBe('completed');
    expect(retried.body.departments.find((d: { dept: string }) => d.dept === m.lead)).toMatchObject({
      status: 'given',
      verdict: 'approve',
    });
    // Nothing done twice, nothing new recorded; the same key tells the same answer again.
    expect(await events(c.caseNo)).toEqual(before);
    expect(before.filter((e) => e.type === 'opinion_given' && e.data.dept === m.lead)).toHaveLength(1);
    const replayed = await lead.post(`/api/cases/${c.caseNo}/opinions`, opinion, { 'idempotency-key': key });
    expect(replayed.status).toBe(200);
    expect(replayed.headers['idempotent-replayed']).toBe('true');
    expect(replayed.body).toEqual(retried.body);

    // The same opinion under a new key is a new act on the closed case: refused as before.
    const fresh = await lead.post(`/api/cases/${c.caseNo}/opinions`, opinion, { 'idempotency-key': unique('new-') });
    expect(fresh.status, JSON.stringify(fresh.body)).toBe(409);
    expect(fresh.headers['content-type']).toContain('application/problem+json');
    expect(fresh.body.code).toBe('case_not_in_review');
    expect(await events(c.caseNo)).toEqual(before);
  });
});
