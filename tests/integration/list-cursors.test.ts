import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { caller, eventually, seedMatter, type MatterSetup } from '../support/http';
import { startSystem, unique, type TestSystem } from '../support/system';

interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/** Follows nextCursor from the first page (`cursor=`) to the last, collecting every page. */
async function allPages<T>(get: (url: string) => Promise<{ status: number; body: Page<T> }>, url: string) {
  const pages: Page<T>[] = [];
  let cursor: string | null = '';
  while (cursor !== null) {
    const res = await get(`${url}${url.includes('?') ? '&' : '?'}cursor=${encodeURIComponent(cursor)}`);
    expect(res.status).toBe(200);
    pages.push(res.body);
    cursor = res.body.nextCursor;
    if (pages.length > 50) throw new Error('the cursor never ends');
  }
  return pages;
}

describe('keyset cursors on the long lists (tasks, supervision, inbox, remediations)', () => {
  let sys: TestSystem;
  let m: MatterSetup;
  const caseNos: string[] = [];
  beforeAll(async () => {
    sys = await startSystem();
    m = await seedMatter(sys, unique('K'));
    const window = caller(sys, sys.token('window', 'WIN'));
    for (let i = 0; i < 5; i++) {
      const res = await window.post('/api/cases', {
        matterCode: m.matterCode,
        applicant: { name: `分页申请人${i}` },
        materials: m.materials.map((x) => x.code),
      });
      expect(res.status).toBe(201);
      caseNos.push(res.body.caseNo);
    }
    const fire = caller(sys, sys.token('department', m.co[0]));
    await eventually(
      () => fire.get('/api/tasks'),
      (r) => r.body.length === 5,
    );
  });
  afterAll(async () => sys?.stop());

  it("pages a department's 待办 most urgent first, the same rows as the unpaged array, each once", async () => {
    const fire = caller(sys, sys.token('department', m.co[0]));
    const whole = await fire.get('/api/tasks?state=pending');
    expect(Array.isArray(whole.body)).toBe(true); // no cursor: the shape clients were written against
    expect(whole.body.map((t: { caseNo: string }) => t.caseNo).sort()).toEqual([...caseNos].sort());

    const pages = await allPages<{ caseNo: string; dueAt: string }>(fire.get, '/api/tasks?state=pending&limit=2');
    expect(pages.map((p) => p.items.length)).toEqual([2, 2, 1]);
    expect(pages.at(-1)!.nextCursor).toBeNull();
    const paged = pages.flatMap((p) => p.items);
    expect(paged).toEqual(whole.body);
    const due = paged.map((t) => Date.parse(t.dueAt));
    expect(due).toEqual([...due].sort((a, b) => a - b));

    // A task answered between two pages neither comes twice nor hides another one.
    const first = await fire.get('/api/tasks?state=pending&limit=2&cursor=');
    const answered = first.body.items[0].caseNo as string;
    const opinion = await fire.post(`/api/cases/${answered}/opinions`, { verdict: 'approve' });
    expect(opinion.status).toBe(200);
    const rest = await allPages<{ caseNo: string }>(fire.get, '/api/tasks?state=pending&limit=2');
    const after = await fire.get(`/api/tasks?state=pending&limit=2&cursor=${first.body.nextCursor}`);
    expect(after.body.items.map((t: { caseNo: string }) => t.caseNo)).toEqual(
      whole.body.slice(2, 4).map((t: { caseNo: string }) => t.caseNo),
    );
    expect(rest.flatMap((p) => p.items).map((t) => t.caseNo)).not.toContain(answered);

    const done = await allPages<{ caseNo: string; status: string }>(fire.get, '/api/tasks?state=done&limit=1');
    expect(done.flatMap((p) => p.items).map((t) => [t.caseNo, t.status])).toEqual([[answered, 'given']]);
  });

  it("lets a supervisor page one department's inbox", async () => {
    const sup = caller(sys, sys.token('supervisor'));
    const pages = await allPages<{ caseNo: string; dept: string }>(
      sup.get,
      `/api/tasks?state=pending&dept=${m.lead}&limit=3`,
    );
    expect(pages.length).toBe(2);
    expect(
      pages
        .flatMap((p) => p.items)
        .map((t) => t.caseNo)
        .sort(),
    ).toEqual([...caseNos].sort());
    expect(pages.flatMap((p) => p.items).every((t) => t.dept === m.lead)).toBe(true);
  });

  it('pages the supervision list oldest progress first, as the array answers it', async () => {
    const sup = caller(sys, sys.token('supervisor'));
    const whole = await sup.get(`/api/supervision/cases?dept=${m.co[1]}`);
    expect(Array.isArray(whole.body)).toBe(true);
    expect(whole.body.map((c: { caseNo: string }) => c.caseNo).sort()).toEqual([...caseNos].sort());
    const pages = await allPages<{ caseNo: string; lastProgressAt: string }>(
      sup.get,
      `/api/supervision/cases?dept=${m.co[1]}&limit=2`,
    );
    expect(pages.map((p) => p.items.length)).toEqual([2, 2, 1]);
    expect(pages.flatMap((p) => p.items)).toEqual(whole.body);
    // The lead's branch (cases it must decide) and the open-task branch page alike.
    const lead = await allPages<{ caseNo: string }>(sup.get, `/api/supervision/cases?dept=${m.lead}&limit=4`);
    expect(
      lead
        .flatMap((p) => p.items)
        .map((c) => c.caseNo)
        .sort(),
    ).toEqual([...caseNos].sort());
  });

  it("pages a department's notices newest first, as the array answers them", async () => {
    const env = caller(sys, sys.token('department', m.co[1]));
    const whole = await env.get('/api/inbox');
    expect(Array.isArray(whole.body)).toBe(true);
    expect(whole.body.length).toBeGreaterThanOrEqual(caseNos.length); // at least a copy of each case
    const pages = await allPages<{ key: string; createdAt: string }>(env.get, '/api/inbox?limit=2');
    expect(pages.length).toBe(Math.ceil(whole.body.length / 2));
    expect(pages.flatMap((p) => p.items)).toEqual(whole.body);
    const at = whole.body.map((n: { createdAt: string }) => Date.parse(n.createdAt));
    expect(at).toEqual([...at].sort((a, b) => b - a));
  });

  it('answers an empty remediation list as a page too', async () => {
    const fire = caller(sys, sys.token('department', m.co[0]));
    expect((await fire.get('/api/remediations?cursor=')).body).toEqual({ items: [], nextCursor: null });
    expect(Array.isArray((await fire.get('/api/remediations')).body)).toBe(true);
  });

  it('refuses a cursor this list did not give with 400 invalid_cursor, changing nothing', async () => {
    const fire = caller(sys, sys.token('department', m.co[0]));
    const sup = caller(sys, sys.token('supervisor'));
    const pending = (await fire.get('/api/tasks?state=pending&limit=1&cursor=')).body.nextCursor as string;
    const supervision = (await sup.get(`/api/supervision/cases?dept=${m.lead}&limit=1&cursor=`)).body
      .nextCursor as string;
    const forged = Buffer.from(JSON.stringify(['tasks.pending', 'x', 'y', 'z', -1])).toString('base64url');
    for (const [who, url] of [
      [fire, '/api/tasks?cursor=%%%'],
      [fire, '/api/tasks?cursor=bm90LWpzb24'],
      [fire, `/api/tasks?cursor=${forged}`],
      [fire, `/api/tasks?state=done&cursor=${pending}`], // another list's order
      [fire, `/api/tasks?cursor=${supervision}`],
      [sup, `/api/supervision/cases?cursor=${pending}`],
      [fire, `/api/remediations?cursor=${pending}`],
      [fire, `/api/inbox?cursor=${pending}`],
    ] as const) {
      const res = await who.get(url);
      expect(res.status, url).toBe(400);
      expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(res.body.code, url).toBe('invalid_cursor');
    }
  });

  it("reads a page after a deep cursor from the index, not by sorting the department's tasks", async () => {
    // The planner's choice on this table as it is, with sequential scans made unattractive so
    // that only an index that serves the order and the range can be chosen without a sort.
    const plan = await sys.db.transaction().execute(async (trx) => {
      await sql`set local enable_seqscan = off`.execute(trx);
      await sql`set local enable_sort = off`.execute(trx);
      const { rows } = await sql<{ 'QUERY PLAN': string }>`explain
        select t.case_no from case_tasks t where t.dept = ${m.co[0]} and t.open = true
          and (t.due_at, t.case_no, t.dept, t.round) > (now(), '', '', 0)
        order by t.due_at, t.case_no, t.dept, t.round limit 101`.execute(trx);
      return rows.map((r) => r['QUERY PLAN']).join('\n');
    });
    // Either open-task index serves the order and the range; which one the planner takes depends on
    // the table's statistics at the time (on a small table the two cost the same).
    expect(plan).toMatch(/Index (Only )?Scan using case_tasks_open_(dept|due)_idx/);
    expect(plan).not.toMatch(/Sort/);
  });
});
