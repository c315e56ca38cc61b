import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { caller, seedMatter, type MatterSetup } from '../support/http';
import { startSystem, unique, type TestSystem } from '../support/system';

describe('query codes kept as a keyed hash; personal data only to those who need it', () => {
  let sys: TestSystem;
  let m: MatterSetup;
  beforeAll(async () => {
    sys = await startSystem();
    m = await seedMatter(sys, unique('Q'));
  });
  afterAll(async () => sys?.stop());

  const submit = (sub: string, idempotencyKey: string, applicant: Record<string, string> = { name: '张三' }) =>
    caller(sys, sys.token('window', 'WIN', sub)).post('/api/cases', {
      matterCode: m.matterCode,
      applicant,
      materials: m.materials.map((x) => x.code),
      idempotencyKey,
    });
  const lookUp = (caseNo: string, code: string) => caller(sys).get(`/api/public/cases/${caseNo}?code=${code}`);

  it('the code is stored only as a keyed, salted hash: not in events, views, the projection or in plain text', async () => {
    const created = await submit('w-1', unique('key-'));
    expect(created.status).toBe(201);
    const { caseNo, queryCode } = created.body as { caseNo: string; queryCode: string };
    expect(queryCode).toMatch(/^\d{8}$/);
    expect((await lookUp(caseNo, queryCode)).status).toBe(200);

    const supervisor = caller(sys, sys.token('supervisor'));
    const events = (await supervisor.get(`/api/cases/${caseNo}/events`)).body;
    const view = (await supervisor.get(`/api/cases/${caseNo}`)).body;
    const unsalted = createHash('sha256').update(queryCode).digest('hex');
    for (const text of [JSON.stringify(events), JSON.stringify(view)]) {
      expect(text).not.toContain(queryCode);
      expect(text).not.toContain(unsalted);
      expect(text).not.toMatch(/queryCodeHash/);
    }
    const request = await sys.db
      .selectFrom('case_requests')
      .selectAll()
      .where('case_no', '=', caseNo)
      .executeTakeFirstOrThrow();
    expect(request.query_code).toBeNull();
    expect(request.query_code_hash).toMatch(/^v1\$[\w-]{22}\$[\w-]{43}$/);
    const stored = await sql<{ text: string }>`
      select (select string_agg(data::text, ' ') from case_events where case_no = ${caseNo}) ||
             (select state::text || coalesce(query_code_hash, '') from cases where case_no = ${caseNo}) as text`.execute(
      sys.db,
    );
    expect(stored.rows[0]!.text).not.toContain(unsalted);
    expect(stored.rows[0]!.text).not.toContain(queryCode);
    expect(stored.rows[0]!.text).not.toContain(request.query_code_hash!);
  });

  it('a retried submission gives the code only to the window that made it; a window can issue a new one', async () => {
    const key = unique('key-');
    const first = await submit('w-1', key);
    const again = await submit('w-1', key);
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ caseNo: first.body.caseNo, queryCode: first.body.queryCode });
    const other = await submit('w-2', key, { name: '李四' });
    expect(other.body.queryCode).not.toBe(first.body.queryCode);
    if (other.body.caseNo === first.body.caseNo) expect(other.body.queryCode).toBeUndefined();

    const reissued = await caller(sys, sys.token('window', 'WIN', 'w-3')).post(
      `/api/cases/${first.body.caseNo}/query-code`,
      { reason: '申请人遗失查询码' },
    );
    expect(reissued.status).toBe(200);
    expect(reissued.body.queryCode).toMatch(/^\d{8}$/);
    expect((await lookUp(first.body.caseNo, reissued.body.queryCode)).status).toBe(200);
    expect((await lookUp(first.body.caseNo, first.body.queryCode)).status).toBe(404);
    const byDept = await caller(sys, sys.token('department', m.lead)).post(
      `/api/cases/${first.body.caseNo}/query-code`,
      { reason: '申请人遗失查询码' },
    );
    expect(byDept.status).toBe(403);
    const unknown = await caller(sys, sys.token('window', 'WIN')).post('/api/cases/JA20260101999999/query-code', {
      reason: 'x',
    });
    expect(unknown.status).toBe(404);
  });

  it('codes kept in plain text before are hashed at start and go on working', async () => {
    const created = await submit('w-1', unique('key-'));
    const { caseNo } = created.body;
    await sys.db
      .updateTable('case_requests')
      .set({ query_code: '24681357', query_code_hash: null, query_code_sealed: null })
      .where('case_no', '=', caseNo)
      .execute();
    const restarted = await startSystem();
    try {
      const row = await sys.db
        .selectFrom('case_requests')
        .select(['query_code', 'query_code_hash'])
        .where('case_no', '=', caseNo)
        .executeTakeFirstOrThrow();
      expect(row.query_code).toBeNull();
      expect(row.query_code_hash).toMatch(/^v1\$/);
      expect((await caller(restarted).get(`/api/public/cases/${caseNo}?code=24681357`)).status).toBe(200);
    } finally {
      await restarted.stop();
    }
  });

  it('ID number and phone: in full to the window and the lead, masked for co-handling departments and supervisors', async () => {
    const applicant = { name: '王五', idNumber: '330102199001011234', phone: '13812345678' };
    const { caseNo } = (await submit('w-1', unique('key-'), applicant)).body;
    const readers = {
      window: sys.token('window', 'WIN'),
      lead: sys.token('department', m.lead),
      co: sys.token('department', m.co[0]),
      supervisor: sys.token('supervisor'),
      admin: sys.token('admin'),
    };
    const full = { idNumber: '330102199001011234', phone: '13812345678' };
    const masked = { idNumber: '3301**********1234', phone: '138****5678' };
    for (const [who, token] of Object.entries(readers)) {
      const expected = who === 'window' || who === 'lead' ? full : masked;
      const events = (await caller(sys, token).get(`/api/cases/${caseNo}/events`)).body;
      const submitted = events.find((e: { type: string }) => e.type === 'submitted');
      expect(submitted.data.applicant, `${who} events`).toEqual({ name: '王五', ...expected });
      const view = (await caller(sys, token).get(`/api/cases/${caseNo}`)).body;
      expect(view.applicant, `${who} view`).toEqual({ name: '王五', ...expected });
      if (expected === masked) {
        const text = JSON.stringify(events) + JSON.stringify(view);
        expect(text, who).not.toContain('199001011234');
        expect(text, who).not.toContain('12345678');
      }
    }
  });

  it('the remediation commands (好差评) answer with the applicant masked for a supervisor and a co-handling department', async () => {
    const applicant = { name: '孙八', idNumber: '330102199202021234', phone: '13912345678' };
    const created = await submit('w-1', unique('key-'), applicant);
    const { caseNo, queryCode } = created.body as { caseNo: string; queryCode: string };
    const co = m.co[0]!;
    for (const d of [...m.co, m.lead])
      await caller(sys, sys.token('department', d)).post(`/api/cases/${caseNo}/opinions`, { verdict: 'approve' });
    const decided = await caller(sys, sys.token('department', m.lead)).post(`/api/cases/${caseNo}/decision`, {
      decision: 'approve',
    });
    expect(decided.body.applicant).toEqual(applicant); // the lead reads it in full
    const bad = await caller(sys).post(`/api/public/cases/${caseNo}/rating?code=${queryCode}`, { level: 1 });
    expect(bad.status).toBe(201);
    const masked = { name: '孙八', idNumber: '3301**********1234', phone: '139****5678' };
    const reassigned = await caller(sys, sys.token('supervisor')).post(`/api/cases/${caseNo}/remediation/reassign`, {
      dept: co,
    });
    expect(reassigned.status).toBe(200);
    expect(reassigned.body.applicant).toEqual(masked);
    const recorded = await caller(sys, sys.token('department', co)).post(`/api/cases/${caseNo}/remediation`, {
      action: '一次告知所需材料',
      contactedApplicant: true,
    });
    expect(recorded.status).toBe(200);
    expect(recorded.body.applicant).toEqual(masked);
  });
});
