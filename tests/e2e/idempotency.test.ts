import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { caseFactory } from '../support/cases';
import { caller, seedMatter, type MatterSetup } from '../support/http';
import { startSystem, unique, type TestSystem } from '../support/system';

const TIMES = 10;

/**
 * Each idempotent command sent 10 times at once (Promise.all): exactly one effect in the event log
 * and answers that agree.
 */
describe('idempotency under concurrency', () => {
  let sys: TestSystem;
  let m: MatterSetup;
  let factory: ReturnType<typeof caseFactory>;

  beforeAll(async () => {
    sys = await startSystem({ listen: true });
    m = await seedMatter(sys, unique('I'));
    factory = caseFactory(sys, m);
  });
  afterAll(async () => sys?.stop());

  const events = async (caseNo: string) => {
    const res = await caller(sys, sys.token('supervisor')).get(`/api/cases/${caseNo}/events`);
    expect(res.status).toBe(200);
    return res.body as { seq: number; type: string; data: any }[];
  };
  const count = (trail: { type: string }[], type: string) => trail.filter((e) => e.type === type).length;
  const times = <T>(make: () => Promise<T>) => Promise.all(Array.from({ length: TIMES }, make));

  it('case creation by idempotencyKey: one case, 201 once and 200 for the rest, the same caseNo and query code', async () => {
    const window = caller(sys, sys.token('window', 'WIN'));
    const idempotencyKey = unique('idem-');
    const body = {
      matterCode: m.matterCode,
      applicant: { name: '并发申请人' },
      materials: m.materials.map((x) => x.code),
      idempotencyKey,
    };
    const answers = await times(() => window.post('/api/cases', body));

    expect(answers.map((a) => a.status).sort()).toEqual([200, 200, 200, 200, 200, 200, 200, 200, 200, 201]);
    const caseNos = new Set(answers.map((a) => a.body.caseNo));
    expect(caseNos.size).toBe(1);
    expect(new Set(answers.map((a) => a.body.queryCode)).size).toBe(1);
    expect(new Set(answers.map((a) => a.body.status))).toEqual(new Set(['accepted']));
    const [caseNo] = [...caseNos] as [string];

    const trail = await events(caseNo);
    expect(count(trail, 'submitted')).toBe(1);
    expect(count(trail, 'accepted')).toBe(1);
    expect(count(trail, 'copied_to_department')).toBe(3);
    expect(trail.map((e) => e.seq)).toEqual(trail.map((_, i) => i + 1));
    // One case in the read model for the key, whichever way it is looked up.
    const rows = await sys.db
      .selectFrom('case_requests')
      .select('case_no')
      .where('idempotency_key', '=', idempotencyKey)
      .execute();
    expect(rows.map((r) => r.case_no)).toEqual([caseNo]);
    const cases = await sys.db.selectFrom('cases').select('case_no').where('case_no', '=', caseNo).execute();
    expect(cases).toHaveLength(1);

    // Later, the same key once more: the same case, 200, still one submission.
    const again = await window.post('/api/cases', body);
    expect(again.status).toBe(200);
    expect(again.body.caseNo).toBe(caseNo);
    expect(count(await events(caseNo), 'submitted')).toBe(1);
  });

  it('different idempotency keys at once: as many cases, all 201', async () => {
    const window = caller(sys, sys.token('window', 'WIN'));
    const answers = await times(() =>
      window.post('/api/cases', {
        matterCode: m.matterCode,
        applicant: { name: '各自申请' },
        materials: [],
        idempotencyKey: unique('own-'),
      }),
    );
    expect(answers.map((a) => a.status)).toEqual(Array(TIMES).fill(201));
    expect(new Set(answers.map((a) => a.body.caseNo)).size).toBe(TIMES);
  });

  it('payment by paymentRef: all 200 with the completed case, one payment_confirmed, one completion', async () => {
    const c = await factory.make('awaiting_payment');
    const window = caller(sys, sys.token('window', 'WIN'));
    const answers = await times(() =>
      window.post(`/api/cases/${c.caseNo}/payment`, {
        paymentRef: `PAY-${c.caseNo}`,
        amountCents: factory.feeTotalCents,
      }),
    );

    expect(answers.map((a) => a.status)).toEqual(Array(TIMES).fill(200));
    expect(new Set(answers.map((a) => a.body.status))).toEqual(new Set(['completed']));
    expect(new Set(answers.map((a) => a.body.fees.paymentRef))).toEqual(new Set([`PAY-${c.caseNo}`]));
    expect(new Set(answers.map((a) => a.body.result?.number))).toHaveProperty('size', 1);
    const trail = await events(c.caseNo);
    expect(count(trail, 'payment_confirmed')).toBe(1);
    expect(count(trail, 'completed')).toBe(1);
    expect(trail.find((e) => e.type === 'payment_confirmed')!.data).toMatchObject({
      paymentRef: `PAY-${c.caseNo}`,
      amountCents: factory.feeTotalCents,
    });

    // After completion (the workflow has closed), the same reference is still a no-op 200.
    const later = await window.post(`/api/cases/${c.caseNo}/payment`, {
      paymentRef: `PAY-${c.caseNo}`,
      amountCents: factory.feeTotalCents,
    });
    expect(later.status).toBe(200);
    expect(later.body.status).toBe('completed');
    expect(await events(c.caseNo)).toEqual(trail);
  });

  it('two different payment references at once: exactly one is taken, the others are 409 not_awaiting_payment', async () => {
    const c = await factory.make('awaiting_payment');
    const window = caller(sys, sys.token('window', 'WIN'));
    const answers = await Promise.all(
      Array.from({ length: TIMES }, (_, i) =>
        window.post(`/api/cases/${c.caseNo}/payment`, { paymentRef: `PAY-${i}`, amountCents: factory.feeTotalCents }),
      ),
    );
    const taken = answers.filter((a) => a.status === 200);
    expect(taken).toHaveLength(1);
    expect(answers.filter((a) => a.status !== 200).map((a) => `${a.status} ${a.body.code}`)).toEqual(
      Array(TIMES - 1).fill('409 not_awaiting_payment'),
    );
    const trail = await events(c.caseNo);
    expect(count(trail, 'payment_confirmed')).toBe(1);
    expect(trail.find((e) => e.type === 'payment_confirmed')!.data.paymentRef).toBe(taken[0]!.body.fees.paymentRef);
  });

  it('one opinion per department per round: one 200, nine 409 opinion_already_given, one opinion_given', async () => {
    const c = await factory.make('in_review');
    const fire = caller(sys, sys.token('department', m.co[0]));
    const answers = await times(() =>
      fire.post(`/api/cases/${c.caseNo}/opinions`, { verdict: 'approve_with_conditions', conditions: ['竣工验收'] }),
    );

    expect(answers.filter((a) => a.status === 200)).toHaveLength(1);
    expect(answers.filter((a) => a.status !== 200).map((a) => `${a.status} ${a.body.code}`)).toEqual(
      Array(TIMES - 1).fill('409 opinion_already_given'),
    );
    const trail = await events(c.caseNo);
    const given = trail.filter((e) => e.type === 'opinion_given');
    expect(given).toHaveLength(1);
    expect(given[0]!.data).toMatchObject({ dept: m.co[0], round: 1 });
    const view = (await caller(sys, sys.token('supervisor')).get(`/api/cases/${c.caseNo}`)).body;
    expect(view.departments.find((d: { dept: string }) => d.dept === m.co[0])).toMatchObject({
      status: 'given',
      verdict: 'approve_with_conditions',
      round: 1,
    });
  });

  it('every department at once, each ten times: one opinion each, and the round settles once', async () => {
    const c = await factory.make('in_review');
    const all = [m.lead, ...m.co];
    const answers = await Promise.all(
      all.flatMap((dept) =>
        Array.from({ length: TIMES }, () =>
          caller(sys, sys.token('department', dept)).post(`/api/cases/${c.caseNo}/opinions`, { verdict: 'approve' }),
        ),
      ),
    );
    expect(answers.filter((a) => a.status === 200)).toHaveLength(all.length);
    // A repeat is refused as a repeat, or — once the last opinion has closed the round — because review is over.
    const refusals = answers.filter((a) => a.status !== 200).map((a) => `${a.status} ${a.body.code}`);
    expect(refusals).toHaveLength(all.length * (TIMES - 1));
    expect(refusals.filter((r) => r !== '409 opinion_already_given' && r !== '409 case_not_in_review')).toEqual([]);
    const trail = await events(c.caseNo);
    for (const dept of all)
      expect(trail.filter((e) => e.type === 'opinion_given' && e.data.dept === dept)).toHaveLength(1);
    expect(count(trail, 'review_completed')).toBe(1);
    expect((await caller(sys, sys.token('supervisor')).get(`/api/cases/${c.caseNo}`)).body.status).toBe('deciding');
  });
});
