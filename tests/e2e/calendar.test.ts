import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { caller } from '../support/http';
import { startSystem, type TestSystem } from '../support/system';

describe('catalog', () => {
  let sys: TestSystem;
  beforeAll(async () => {
    sys = await startSystem();
  });
  afterAll(async () => sys?.stop());

  it('enters the departments a matter names but the catalog lacks, under their code', async () => {
    const admin = caller(sys, sys.token('admin'));
    const suffix = Date.now().toString(36).toUpperCase();
    const put = await admin.put(`/api/matters/NEW${suffix}`, {
      name: '新事项',
      leadDept: `LEAD${suffix}`,
      coDepts: [`CO${suffix}`],
      requiredMaterials: [{ code: 'a', name: 'A' }],
      timeLimitDays: 5,
      silencePolicy: 'escalate_only',
      fees: [],
    });
    expect(put.status).toBe(200);
    expect(put.body).toMatchObject({ leadDept: `LEAD${suffix}`, statutoryLimitDays: 45, deptReviewDays: 7 });
    const departments = (await admin.get('/api/departments')).body as { code: string; name: string }[];
    expect(departments).toEqual(
      expect.arrayContaining([
        { code: `LEAD${suffix}`, name: `LEAD${suffix}`, webhookUrl: null },
        { code: `CO${suffix}`, name: `CO${suffix}`, webhookUrl: null },
      ]),
    );
    const stray = await admin.put(`/api/matters/BAD${suffix}`, {
      name: 'x',
      leadDept: `LEAD${suffix}`,
      coDepts: [],
      requiredMaterials: [],
      timeLimitDays: 5,
      silencePolicy: 'escalate_only',
      fees: [{ dept: 'SOMEONE_ELSE', item: 'fee', maxAmountCents: 1 }],
    });
    expect(stray.status).toBe(422);
    expect(stray.body.code).toBe('fee_dept_not_reviewing');
  });

  it('writes nothing for a refused matter, not even the departments it names', async () => {
    const admin = caller(sys, sys.token('admin'));
    const suffix = Date.now().toString(36).toUpperCase();
    const definition = {
      name: '被拒事项',
      leadDept: `GHOSTLEAD${suffix}`,
      coDepts: [`GHOSTCO${suffix}`],
      requiredMaterials: [{ code: 'a', name: 'A' }],
      timeLimitDays: 5,
      silencePolicy: 'escalate_only',
      fees: [{ dept: 'SOMEONE_ELSE', item: 'fee', maxAmountCents: 1 }],
    };
    const stray = await admin.put(`/api/matters/REFUSED${suffix}`, definition);
    expect(stray.status).toBe(422);
    expect(stray.body.code).toBe('fee_dept_not_reviewing');
    const duplicate = await admin.put(`/api/matters/REFUSED${suffix}`, {
      ...definition,
      fees: [],
      requiredMaterials: [
        { code: 'a', name: 'A' },
        { code: 'a', name: 'A again' },
      ],
    });
    expect(duplicate.status).toBe(422);
    expect(duplicate.body.code).toBe('duplicate_material');
    const departments = (await admin.get('/api/departments')).body as { code: string }[];
    expect(departments.map((d) => d.code)).not.toContain(`GHOSTLEAD${suffix}`);
    expect(departments.map((d) => d.code)).not.toContain(`GHOSTCO${suffix}`);
    expect((await admin.get(`/api/matters/REFUSED${suffix}`)).status).toBe(404);
  });
});

describe('working-day calendar over HTTP', () => {
  let sys: TestSystem;
  beforeAll(async () => {
    sys = await startSystem();
  });
  afterAll(async () => sys?.stop());

  it('computes deadlines with the State Council calendar (make-up Saturday, Spring Festival)', async () => {
    const staff = caller(sys, sys.token('window', 'WIN'));
    const autumn = await staff.get('/api/calendar/deadline?from=2026-09-24&workingDays=6');
    expect(autumn.status).toBe(200);
    expect(autumn.body.deadline).toBe('2026-10-11T00:00:00+08:00');
    expect(autumn.body.lastDay).toBe('2026-10-10');
    const spring = await staff.get('/api/calendar/deadline?from=2026-02-13T16:30:00%2B08:00&workingDays=2');
    expect(spring.body.deadline).toBe('2026-02-25T00:00:00+08:00');
    const bad = await staff.get('/api/calendar/deadline?from=2026-02-30&workingDays=2');
    expect(bad.status).toBe(422);
    expect(bad.body.code).toBe('invalid_date');
  });

  it('lets an admin publish the next year, and deadlines use it at once', async () => {
    const admin = caller(sys, sys.token('admin'));
    const before = await admin.get('/api/calendar/deadline?from=2027-09-30&workingDays=1');
    expect(before.body.deadline).toBe('2027-10-02T00:00:00+08:00'); // unknown year: weekdays only
    const put = await admin.put('/api/calendar/2027', {
      holidays: ['2027-10-01', '2027-10-04', '2027-10-05', '2027-10-06', '2027-10-07'],
      workdays: ['2027-10-09'],
    });
    expect(put.status).toBe(200);
    const after = await admin.get('/api/calendar/deadline?from=2027-09-30&workingDays=1');
    expect(after.body.deadline).toBe('2027-10-09T00:00:00+08:00');
    expect(after.body.calendar).not.toBe(before.body.calendar);
    const invalid = await admin.put('/api/calendar/2027', { holidays: ['2028-01-01'], workdays: [] });
    expect(invalid.status).toBe(422);
    expect(invalid.body.code).toBe('invalid_calendar');
    const notAdmin = await caller(sys, sys.token('supervisor')).put('/api/calendar/2027', {
      holidays: [],
      workdays: [],
    });
    expect(notAdmin.status).toBe(403);
    // Put the shared database back as it was for other tests.
    await sys.db.deleteFrom('calendar_years').where('year', '=', 2027).execute();
  });
});
