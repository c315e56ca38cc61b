import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toShanghaiIso } from '../../domain/calendar';
import { caseFactory } from '../support/cases';
import { caller, eventually, seedMatter, type MatterSetup } from '../support/http';
import { startSystem, unique, type TestSystem } from '../support/system';

/** Reads CSV the way Excel does (an independent parser, with CRLF records and quoted cells). */
const parseCsv = (text: string): string[][] => parse(text, { record_delimiter: '\r\n', relax_column_count: false });

const DAY_MS = 1500;

/** What the console's supervisor and administrator screens read beyond part 1's routes. */
describe('console API: saved views, dashboard counts, statistics CSV and trend, delivery status', () => {
  let sys: TestSystem;
  let m: MatterSetup;
  let factory: ReturnType<typeof caseFactory>;
  let receiver: http.Server;
  let receiverStatus = 500;

  beforeAll(async () => {
    sys = await startSystem({ listen: true, demoDayMs: DAY_MS });
    m = await seedMatter(sys, unique('C'), { deptReviewDays: 1, timeLimitDays: 3, silencePolicy: 'escalate_only' });
    factory = caseFactory(sys, m);
    receiver = http.createServer((req, res) => {
      req.resume();
      req.on('end', () => res.writeHead(receiverStatus).end());
    });
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
  });
  afterAll(async () => {
    await sys?.stop();
    await new Promise((r) => receiver?.close(r));
  });

  const supervisor = (sub = 'sup-views') => caller(sys, sys.token('supervisor', undefined, sub));

  it('keeps named views per person and screen; the dashboard’s views are the supervisors’', async () => {
    const me = supervisor();
    const created = await me.post('/api/views', {
      screen: 'supervision',
      name: '卡住超过4小时',
      filters: { filter: 'stuck', stalledHours: 4 },
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      screen: 'supervision',
      name: '卡住超过4小时',
      filters: { filter: 'stuck', stalledHours: 4 },
    });
    expect(
      (await me.post('/api/views', { screen: 'cases', name: '审查中', filters: { status: 'in_review' } })).status,
    ).toBe(201);
    expect((await me.post('/api/views', { screen: 'supervision', name: '卡住超过4小时', filters: {} })).body.code).toBe(
      'view_name_taken',
    );
    expect((await me.get('/api/views?screen=supervision')).body.map((v: { name: string }) => v.name)).toEqual([
      '卡住超过4小时',
    ]);
    expect((await me.get('/api/views')).body).toHaveLength(2);

    // Filters are those the screen's route takes, checked as strictly.
    const bad = await me.post('/api/views', { screen: 'cases', name: 'x', filters: { stalledHours: 4 } });
    expect([bad.status, bad.body.code]).toEqual([400, 'validation_failed']);
    const window = caller(sys, sys.token('window', 'WIN', 'win-views'));
    const refused = await window.post('/api/views', { screen: 'supervision', name: 'x', filters: {} });
    expect([refused.status, refused.body.code]).toEqual([403, 'forbidden_role']);

    // Someone else neither sees nor touches them.
    const other = supervisor('sup-other');
    expect((await other.get('/api/views')).body).toEqual([]);
    const id = created.body.id as string;
    expect((await other.put(`/api/views/${id}`, { screen: 'supervision', name: '偷改', filters: {} })).body.code).toBe(
      'view_not_found',
    );
    expect((await other.del(`/api/views/${id}`)).status).toBe(404);

    const renamed = await me.put(`/api/views/${id}`, {
      screen: 'supervision',
      name: '逾期',
      filters: { filter: 'overdue', dept: m.co[0] },
    });
    expect(renamed.status).toBe(200);
    expect(renamed.body).toMatchObject({ id, name: '逾期', filters: { filter: 'overdue', dept: m.co[0] } });
    expect((await me.del(`/api/views/${id}`)).status).toBe(204);
    expect((await me.del(`/api/views/${id}`)).body.code).toBe('view_not_found');
    expect((await me.get('/api/views?screen=supervision')).body).toEqual([]);
  });

  it('counts overdue, at-risk and stuck cases in all and per department holding them up', async () => {
    const c = await factory.make('in_review');
    const lead = caller(sys, sys.token('department', m.lead));
    expect((await lead.post(`/api/cases/${c.caseNo}/opinions`, { verdict: 'approve' })).status).toBe(200);
    // A day of review for each department: past it, the two co-handling departments are overdue.
    const summary = await eventually(
      async () => (await supervisor().get('/api/supervision/summary?stalledHours=0')).body,
      (s) => s.departments.find((d: { dept: string }) => d.dept === m.co[0])?.overdue >= 1,
      15_000,
    );
    expect(summary.stalledHours).toBe(0);
    expect(summary.open).toBeGreaterThanOrEqual(1);
    expect(summary.overdue).toBeGreaterThanOrEqual(1);
    expect(summary.stuck).toBe(summary.open); // nothing moved in the last 0 hours
    for (const dept of m.co) {
      const row = summary.departments.find((d: { dept: string }) => d.dept === dept);
      expect(row).toMatchObject({ dept, name: `dept ${dept}`, open: 1, overdue: 1 });
      expect(Date.parse(row.oldestSince)).toBeLessThanOrEqual(Date.now());
    }
    // The lead has given its opinion: it holds nothing up.
    expect(summary.departments.find((d: { dept: string }) => d.dept === m.lead)).toBeUndefined();
    // The same case is on the overdue list the counts summarise.
    const overdue = await supervisor().get(`/api/supervision/cases?filter=overdue&dept=${m.co[0]}`);
    expect(overdue.body.map((x: { caseNo: string }) => x.caseNo)).toContain(c.caseNo);
    const later = await supervisor().get('/api/supervision/summary?stalledHours=1');
    expect(later.body.stuck).toBeLessThan(summary.stuck);
  });

  it('exports the statistics as CSV for Excel with the same rows, and a weekly trend that adds up to them', async () => {
    const c = await factory.make('in_review');
    for (const dept of [m.co[0]!, m.lead])
      expect(
        (
          await caller(sys, sys.token('department', dept)).post(`/api/cases/${c.caseNo}/opinions`, {
            verdict: 'approve',
          })
        ).status,
      ).toBe(200);
    const today = toShanghaiIso(Date.now()).slice(0, 10);
    const from = `${today.slice(0, 8)}01`;
    const json = await supervisor().get(`/api/supervision/stats?from=${from}&to=${today}`);
    expect(json.status).toBe(200);
    const res = await fetch(`${sys.baseUrl}/api/supervision/stats.csv?from=${from}&to=${today}`, {
      headers: { authorization: `Bearer ${sys.token('supervisor')}` },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(res.headers.get('content-disposition')).toContain(`filename="stats-${from}_${today}.csv"`);
    const bytes = new Uint8Array(await res.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]); // the BOM Excel needs to read UTF-8
    const text = new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes).slice(1);
    expect(text.endsWith('\r\n')).toBe(true);
    const [header, ...rows] = parseCsv(text);
    expect(header).toEqual([
      '部门编码',
      '部门名称',
      '收件数',
      '已办结',
      '按时',
      '超时',
      '超时工作日',
      '视同同意',
      '被督办次数',
      '用时中位数（工作日）',
      '用时P90（工作日）',
      '得分',
      '评价数',
      '满意率',
      '差评数',
      '按时整改',
    ]);
    const asCsv = (r: any) => [
      r.dept,
      r.dept.startsWith('_') ? '' : `dept ${r.dept}`,
      ...[r.received, r.given, r.onTime, r.late, r.lateWorkingDays, r.deemed, r.urged].map(String),
      r.medianDays === null ? '' : String(r.medianDays),
      r.p90Days === null ? '' : String(r.p90Days),
      String(r.score),
      String(r.ratings),
      r.satisfactionRate === null ? '' : `${(r.satisfactionRate * 100).toFixed(2)}%`,
      String(r.badReviews),
      String(r.remediatedOnTime),
    ];
    const ours = (r: string[]) => [m.lead, ...m.co].includes(r[0]!);
    expect(rows.filter(ours)).toEqual(json.body.filter((r: any) => [m.lead, ...m.co].includes(r.dept)).map(asCsv));
    expect(rows.map((r) => r[0])).toEqual(json.body.map((r: any) => r.dept));
    expect(rows.find((r) => r[0] === m.lead)?.[3]).toBe('2'); // this test's and the previous one's opinions

    const trend = await supervisor().get(`/api/supervision/trend?from=${from}&to=${today}`);
    expect(trend.status).toBe(200);
    for (const dept of [m.lead, ...m.co]) {
      const weeks = trend.body.filter((w: any) => w.dept === dept);
      expect(weeks.length).toBeGreaterThanOrEqual(1);
      for (const w of weeks) expect(new Date(`${w.weekStart}T12:00:00+08:00`).getUTCDay()).toBe(1); // Mondays
      const stats = json.body.find((r: any) => r.dept === dept);
      for (const key of ['received', 'given', 'onTime', 'late', 'lateWorkingDays', 'deemed', 'urged'])
        expect(weeks.reduce((n: number, w: any) => n + w[key], 0)).toBe(stats[key]);
    }
    const byDept = await supervisor().get(`/api/supervision/trend?dept=${m.lead}`);
    expect(new Set(byDept.body.map((w: any) => w.dept))).toEqual(new Set([m.lead]));
    const lead = byDept.body.at(-1);
    expect(lead.onTimeRate).toBe(lead.given ? lead.onTime / lead.given : null);
  });

  it('a department name that Excel would run as a formula is written as text', async () => {
    const suffix = unique('X');
    const evil = await seedMatter(sys, suffix);
    const admin = caller(sys, sys.token('admin'));
    expect(
      (await admin.put(`/api/departments/${evil.lead}`, { name: '=HYPERLINK("http://evil","点我")' })).status,
    ).toBe(200);
    const c = await caseFactory(sys, evil).make('in_review');
    expect(c.caseNo).toBeTruthy();
    const res = await fetch(`${sys.baseUrl}/api/supervision/stats.csv`, {
      headers: { authorization: `Bearer ${sys.token('supervisor')}` },
    });
    const row = parseCsv((await res.text()).slice(1)).find((r) => r[0] === evil.lead)!;
    expect(row[1]).toBe(`'=HYPERLINK("http://evil","点我")`);
  });

  it('tells the administrator whose webhook deliveries are failing, since when and why, until they recover', async () => {
    const suffix = unique('W');
    const hooked = await seedMatter(sys, suffix);
    const admin = caller(sys, sys.token('admin'));
    const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks`;
    expect((await admin.put(`/api/departments/${hooked.co[0]}`, { name: '消防', webhookUrl: url })).status).toBe(200);
    receiverStatus = 500;
    await caseFactory(sys, hooked).make('in_review');
    const failing = await eventually(
      async () => (await admin.get('/api/departments/deliveries')).body.find((d: any) => d.dept === hooked.co[0]),
      (d) => d?.failing === true,
      15_000,
    );
    expect(failing).toMatchObject({ name: '消防', webhookUrl: url, failing: true, lastSuccessAt: null });
    expect(failing.lastError).toContain('HTTP 500');
    expect(failing.undelivered).toBe(1);
    expect(failing.consecutiveFailures).toBeGreaterThanOrEqual(1);
    const quiet = (await admin.get('/api/departments/deliveries')).body.find((d: any) => d.dept === hooked.lead);
    expect(quiet).toMatchObject({ webhookUrl: null, failing: false, lastAttemptAt: null, undelivered: 0 });

    receiverStatus = 200; // Temporal retries the delivery (2 s, then 4 s, …)
    const recovered = await eventually(
      async () => (await admin.get('/api/departments/deliveries')).body.find((d: any) => d.dept === hooked.co[0]),
      (d) => d?.failing === false,
      20_000,
    );
    expect(recovered).toMatchObject({ failing: false, failingSince: null, consecutiveFailures: 0, undelivered: 0 });
    expect(recovered.lastSuccessAt).not.toBeNull();
    expect(recovered.lastError).toContain('HTTP 500'); // the last failure stays on record
  });
});
