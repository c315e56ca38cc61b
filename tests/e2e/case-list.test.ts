import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { caller, seedMatter } from '../support/http';
import { startSystem, unique, type TestSystem } from '../support/system';

describe('case list: filters and cursor pagination', () => {
  let sys: TestSystem;
  beforeAll(async () => {
    sys = await startSystem();
  });
  afterAll(async () => sys?.stop());

  it("pages through a matter's cases newest first and filters by status and department", async () => {
    const m = await seedMatter(sys, unique('L'));
    const window = caller(sys, sys.token('window', 'WIN'));
    const created: string[] = [];
    for (let i = 0; i < 5; i++) {
      const materials = i % 2 ? m.materials.map((x) => x.code) : ['application'];
      created.push(
        (await window.post('/api/cases', { matterCode: m.matterCode, applicant: { name: `申请人${i}` }, materials }))
          .body.caseNo,
      );
    }
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: any = await window.get(
        `/api/cases?matterCode=${m.matterCode}&limit=2${cursor ? `&cursor=${cursor}` : ''}`,
      );
      expect(page.status).toBe(200);
      expect(page.body.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.body.items.map((c: { caseNo: string }) => c.caseNo));
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(seen).toEqual([...created].reverse());

    const waiting = await window.get(`/api/cases?matterCode=${m.matterCode}&status=awaiting_materials`);
    expect(waiting.body.items.map((c: { caseNo: string }) => c.caseNo).sort()).toEqual(
      [created[0], created[2], created[4]].sort(),
    );

    const fire = await caller(sys, sys.token('department', m.co[0])).get(`/api/cases?matterCode=${m.matterCode}`);
    expect(fire.body.items.map((c: { caseNo: string }) => c.caseNo).sort()).toEqual([created[1], created[3]].sort());
    const nobody = unique('NOBODY');
    await caller(sys, sys.token('admin')).put(`/api/departments/${nobody}`, { name: '不审此事项的部门' });
    const foreign = await caller(sys, sys.token('department', nobody)).get(`/api/cases?matterCode=${m.matterCode}`);
    expect(foreign.body.items).toEqual([]);

    const badCursor = await window.get('/api/cases?cursor=%%%');
    expect(badCursor.status).toBe(400);
  });
});
