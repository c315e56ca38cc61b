import { createSigner } from 'fast-jwt';
import { caller, type MatterSetup, type Reply } from './http';
import { TEST_JWT_SECRET, type TestSystem } from './system';

export interface PreparedCase {
  caseNo: string;
  queryCode: string;
  meetingId?: string;
  procedureId?: string;
}

/** The states a case can be brought to over HTTP, each a fresh case. */
export type CaseStage =
  | 'awaiting_materials'
  | 'in_review'
  | 'supplement_pending'
  | 'meeting_convened'
  | 'procedure_started'
  | 'deciding'
  | 'negative_review'
  | 'awaiting_payment'
  | 'completed';

function ok(res: Reply, what: string, status = 200): Reply {
  if (res.status !== status)
    throw new Error(`${what}: expected ${status}, got ${res.status} ${JSON.stringify(res.body)}`);
  return res;
}

/**
 * Brings fresh cases of a seeded matter (lead + two co-handling departments, fee items
 * 消防审核费 for co[0] and 规划许可费 for the lead) to a wanted state through the real API.
 */
export function caseFactory(sys: TestSystem, m: MatterSetup) {
  const window = caller(sys, sys.token('window', 'WIN'));
  const dept = (code: string) => caller(sys, sys.token('department', code));
  const [co0, co1] = m.co as [string, string];

  async function submit(complete: boolean): Promise<PreparedCase> {
    const res = ok(
      await window.post('/api/cases', {
        matterCode: m.matterCode,
        applicant: { name: '测试申请人' },
        materials: complete ? m.materials.map((x) => x.code) : ['application'],
      }),
      'submit',
      201,
    );
    return { caseNo: res.body.caseNo, queryCode: res.body.queryCode };
  }

  async function allApprove(c: PreparedCase, fees = false): Promise<void> {
    ok(
      await dept(co0).post(
        `/api/cases/${c.caseNo}/opinions`,
        fees ? { verdict: 'approve', fees: [{ item: '消防审核费', amountCents: 12_300 }] } : { verdict: 'approve' },
      ),
      'co0 opinion',
    );
    ok(await dept(co1).post(`/api/cases/${c.caseNo}/opinions`, { verdict: 'approve' }), 'co1 opinion');
    const last = ok(await dept(m.lead).post(`/api/cases/${c.caseNo}/opinions`, { verdict: 'approve' }), 'lead opinion');
    if (last.body.status !== 'deciding') throw new Error(`expected deciding, got ${last.body.status}`);
  }

  async function make(stage: CaseStage): Promise<PreparedCase> {
    if (stage === 'awaiting_materials') return submit(false);
    const c = await submit(true);
    switch (stage) {
      case 'in_review':
        return c;
      case 'supplement_pending': {
        ok(
          await dept(co0).post(`/api/cases/${c.caseNo}/opinions`, {
            verdict: 'request_supplement',
            materials: [{ code: 'fire-plan', name: '消防设计专篇' }],
          }),
          'supplement request',
        );
        ok(await dept(co1).post(`/api/cases/${c.caseNo}/opinions`, { verdict: 'approve' }), 'co1 opinion');
        const res = ok(
          await dept(m.lead).post(`/api/cases/${c.caseNo}/opinions`, { verdict: 'approve' }),
          'lead opinion',
        );
        if (res.body.status !== 'suspended') throw new Error(`expected suspended, got ${res.body.status}`);
        return c;
      }
      case 'meeting_convened': {
        const res = ok(
          await dept(m.lead).post(`/api/cases/${c.caseNo}/meetings`, {
            kind: 'site_inspection',
            scheduledAt: '2026-12-01T09:30:00+08:00',
            departments: [co0],
          }),
          'meeting',
        );
        return { ...c, meetingId: res.body.meetingId };
      }
      case 'procedure_started': {
        const res = ok(
          await dept(m.lead).post(`/api/cases/${c.caseNo}/special-procedures`, {
            kind: 'expert_review',
            reason: '专家评审',
          }),
          'procedure',
        );
        return { ...c, procedureId: res.body.procedureId };
      }
      case 'deciding':
        await allApprove(c);
        return c;
      case 'negative_review': {
        await allApprove(c);
        const res = ok(
          await dept(m.lead).post(`/api/cases/${c.caseNo}/decision`, { decision: 'reject', reason: '不符合规划条件' }),
          'reject',
        );
        if (res.body.status !== 'negative_review') throw new Error(`expected negative_review, got ${res.body.status}`);
        return c;
      }
      case 'awaiting_payment': {
        await allApprove(c, true);
        const res = ok(await dept(m.lead).post(`/api/cases/${c.caseNo}/decision`, { decision: 'approve' }), 'approve');
        if (res.body.status !== 'awaiting_payment')
          throw new Error(`expected awaiting_payment, got ${res.body.status}`);
        return c;
      }
      case 'completed': {
        await allApprove(c);
        const res = ok(await dept(m.lead).post(`/api/cases/${c.caseNo}/decision`, { decision: 'approve' }), 'approve');
        if (res.body.status !== 'completed') throw new Error(`expected completed, got ${res.body.status}`);
        return c;
      }
    }
  }

  return { make, feeTotalCents: 12_300 };
}

/** What a case looks like from outside: its CaseView and its event log, for "nothing changed" checks. */
export async function snapshot(sys: TestSystem, caseNo: string): Promise<{ view: unknown; events: unknown[] }> {
  const supervisor = caller(sys, sys.token('supervisor'));
  const view = ok(await supervisor.get(`/api/cases/${caseNo}`), 'GET case');
  const events = ok(await supervisor.get(`/api/cases/${caseNo}/events`), 'GET events');
  return { view: view.body, events: events.body };
}

/** Tokens that must not get in: signed with another secret, expired, or with claims that do not hold. */
export function badTokens(claims: Record<string, unknown> = { sub: 'u1', name: 'u1', role: 'supervisor' }) {
  const wrongSecret = createSigner({ key: 'some-other-secret-0123456789abcdef0123', algorithm: 'HS256' })(claims);
  const expired = createSigner({
    key: TEST_JWT_SECRET,
    algorithm: 'HS256',
    clockTimestamp: Date.now() - 7_200_000,
    expiresIn: 3_600_000,
  })(claims);
  return { wrongSecret, expired };
}
