import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { caller, eventually, seedMatter, type MatterSetup } from '../support/http';
import { recordHistory } from '../support/histories';
import { startSystem, unique, type TestSystem } from '../support/system';

/**
 * A new year's calendar reaching running cases, on the real calendar (no demo clock): cases accepted
 * now whose limits run into 2027 count weekends only until 2027 is published; publishing it
 * recomputes them through the durable republication workflow.
 */
const YEAR_2027 = {
  holidays: ['2027-01-01', '2027-02-05', '2027-02-08', '2027-02-09', '2027-02-10', '2027-02-11'],
  workdays: ['2027-02-20'],
};

describe('a published year reaches running cases', () => {
  let sys: TestSystem;
  let m: MatterSetup;
  beforeAll(async () => {
    sys = await startSystem({ env: { REPUBLICATION_SWEEP_SECONDS: '5' } });
    await sys.db.deleteFrom('calendar_years').where('year', '=', 2027).execute();
    // Promised 30 and statutory 45 working days: from December 2026 both reach into 2027.
    m = await seedMatter(sys, unique('Y'), { timeLimitDays: 30, statutoryLimitDays: 45, deptReviewDays: 5 });
  });
  afterAll(async () => {
    // Put the shared database back as it was for other tests.
    await sys?.db.deleteFrom('calendar_years').where('year', '=', 2027).execute();
    await sys?.stop();
  });

  const admin = () => caller(sys, sys.token('admin'));
  const supervisor = () => caller(sys, sys.token('supervisor'));
  const submit = async () => {
    const res = await caller(sys, sys.token('window', 'WIN')).post('/api/cases', {
      matterCode: m.matterCode,
      applicant: { name: '王五' },
      materials: m.materials.map((x) => x.code),
    });
    expect(res.status).toBe(201);
    return res.body.caseNo as string;
  };
  const events = async (caseNo: string) =>
    (await supervisor().get(`/api/cases/${caseNo}/events`)).body as { type: string; data: any }[];

  it('marks deadlines counting an unpublished year provisional, and recomputes them when it is published', async () => {
    const caseNo = await submit();
    const before = (await supervisor().get(`/api/cases/${caseNo}`)).body;
    expect(before.deadlineProvisional).toBe(true);
    expect(before.deadline.slice(0, 4)).toBe('2027');
    // The department's task list and the supervisor's dashboard say so too.
    const task = async () =>
      ((await caller(sys, sys.token('department', m.co[0]!)).get('/api/tasks?state=pending')).body as any[]).find(
        (t) => t.caseNo === caseNo,
      );
    const supervised = async () =>
      ((await supervisor().get(`/api/supervision/cases?dept=${m.co[0]}`)).body as any[]).find(
        (c) => c.caseNo === caseNo,
      );
    // A 5-working-day review from December ends in 2026: the task's own due time is final already.
    const t = await task();
    expect(t.dueProvisional).toBe(t.dueAt.slice(0, 4) === '2027');
    expect(t.dueProvisional).toBe(false);
    expect((await supervised()).deadlineProvisional).toBe(true);
    const years = (await admin().get('/api/calendar')).body as { year: number; source: string }[];
    expect(years.map((y) => y.year)).not.toContain(2027);
    expect(years.map((y) => y.year)).toEqual(expect.arrayContaining([2024, 2025, 2026]));

    const put = await admin().put('/api/calendar/2027', YEAR_2027);
    expect(put.status).toBe(200);
    expect(put.body.affectedCases).toBeGreaterThanOrEqual(1);
    expect(put.body.republicationId).toEqual(expect.any(Number));

    const trail = await eventually(
      () => events(caseNo),
      (e) => e.some((x) => x.type === 'deadlines_recomputed'),
      60_000,
    );
    const recomputed = trail.find((x) => x.type === 'deadlines_recomputed')!.data;
    expect(recomputed.calendar).toBe(put.body.calendar);
    expect(recomputed.years).toEqual(['2027']);
    const caseDeadline = recomputed.deadlines.find((x: { kind: string }) => x.kind === 'case');
    expect(caseDeadline.before).toBe(before.deadline);
    // 1 January 2027 is a holiday: one working day later
    expect(Date.parse(caseDeadline.after) - Date.parse(caseDeadline.before)).toBeGreaterThanOrEqual(86_400_000);
    expect(recomputed.deadlines.map((x: { kind: string; dept?: string }) => x.dept ?? x.kind).sort()).toEqual(
      ['case', 'statutory', m.lead, ...m.co].sort(),
    );

    const after = (await supervisor().get(`/api/cases/${caseNo}`)).body;
    expect(after.deadline).toBe(caseDeadline.after);
    expect(after.deadlineProvisional).toBe(false);
    expect((await task()).dueProvisional).toBe(false);
    expect((await supervised()).deadlineProvisional).toBe(false);
    await eventually(
      async () => (await admin().get(`/api/calendar/republications/${put.body.republicationId}`)).body,
      (r: { finishedAt: string | null }) => r.finishedAt !== null,
      60_000,
    );
    // Today's paths (patches j12-calendar-local-activity, j12-republication-signal-by-activity): the
    // case read the calendar with a local activity, the republication signalled its page in one activity.
    const kinds = async (workflowId: string) =>
      (await sys.client.workflow.getHandle(workflowId).fetchHistory()).events!.map((e) => ({
        activity: e.activityTaskScheduledEventAttributes?.activityType?.name,
        signalsOut: Boolean(e.signalExternalWorkflowExecutionInitiatedEventAttributes),
      }));
    const republication = await kinds(`calendar-republication-${put.body.republicationId}`);
    expect(republication.map((e) => e.activity)).toContain('signalCalendarPublished');
    expect(republication.some((e) => e.signalsOut)).toBe(false);
    expect((await kinds(caseNo)).map((e) => e.activity)).not.toContain('currentCalendar');
    // The case that adopted it, and the republication itself, for the replay test (RECORD_HISTORIES=1).
    await recordHistory(sys, caseNo, 'calendar-adopted');
    await recordHistory(sys, `calendar-republication-${put.body.republicationId}`, 'calendar-republication');
    expect(after.clock.calendar).toBe(put.body.calendar);

    const listed = (await admin().get('/api/calendar')).body as {
      year: number;
      version: string;
      holidays: string[];
      source: string;
    }[];
    expect(listed.find((y) => y.year === 2027)).toMatchObject({
      version: put.body.version,
      holidays: YEAR_2027.holidays,
      source: 'published',
    });

    const report = await eventually(
      async () => (await admin().get(`/api/calendar/republications/${put.body.republicationId}`)).body,
      (r) => r.finishedAt !== null,
      60_000,
    );
    expect(report.recomputed).toBeGreaterThanOrEqual(1);
    expect(report.signalled).toBeGreaterThanOrEqual(1);

    // Publishing the same arrangement again changes no calendar and recomputes nothing.
    const again = await admin().put('/api/calendar/2027', YEAR_2027);
    expect(again.body).toMatchObject({ affectedCases: 0, republicationId: null, calendar: put.body.calendar });
  });

  it('a correction reaches every case even when the worker dies half-way', async () => {
    const caseNos: string[] = [];
    for (let i = 0; i < 12; i++) caseNos.push(await submit());
    const corrected = { ...YEAR_2027, holidays: [...YEAR_2027.holidays, '2027-01-04'] };
    const put = await admin().put('/api/calendar/2027', corrected);
    expect(put.status).toBe(200);
    expect(put.body.affectedCases).toBeGreaterThanOrEqual(caseNos.length);
    await sys.restartWorker(300);
    for (const caseNo of caseNos) {
      const trail = await eventually(
        () => events(caseNo),
        (e) => e.some((x) => x.type === 'deadlines_recomputed' && x.data.calendar === put.body.calendar),
        60_000,
      );
      expect(
        trail.filter((x) => x.type === 'deadlines_recomputed' && x.data.calendar === put.body.calendar),
      ).toHaveLength(1);
    }
  });

  it('only an admin publishes; the list is for every staff member', async () => {
    expect((await supervisor().put('/api/calendar/2027', YEAR_2027)).status).toBe(403);
    expect((await caller(sys, sys.token('window', 'WIN')).get('/api/calendar')).status).toBe(200);
    expect((await admin().get('/api/calendar/republications/999999999')).status).toBe(404);
  });
});
