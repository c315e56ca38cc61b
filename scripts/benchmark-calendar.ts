import { sql } from 'kysely';
import { startThrowawaySystem } from './infra/throwaway-system';

/**
 * `npm run benchmark:calendar`: publishing 2027 on a system with CASES open cases (default 1,000)
 * whose limits run into 2027, on a throw-away system of its own (real PostgreSQL, real Temporal dev
 * server, one worker). Reports the time from the PUT until every case has recomputed its deadlines
 * and until the republication closed its record, the cases recomputed, and the cases missed.
 */
const CASES = Number(process.env.CASES ?? 1000);
const CONCURRENCY = Number(process.env.CONCURRENCY ?? 16);
const YEAR_2027 = {
  holidays: ['2027-01-01', '2027-02-05', '2027-02-08', '2027-02-09', '2027-02-10', '2027-02-11'],
  workdays: ['2027-02-20'],
};

async function main(): Promise<void> {
  console.log(`Starting a throw-away system (real calendar, ${CASES} cases)…`);
  const system = await startThrowawaySystem({ logLevel: 'error' });
  const db = system.app.db;
  const call = (role: string, dept?: string) => async (method: string, url: string, body?: unknown) => {
    const res = await fetch(system.baseUrl + url, {
      method,
      headers: { authorization: `Bearer ${system.token({ role, dept })}`, 'content-type': 'application/json' },
      body: body ? JSON.stringify(body) : undefined,
    });
    const json = (await res.json()) as any;
    if (res.status >= 400) throw new Error(`${method} ${url}: ${res.status} ${JSON.stringify(json)}`);
    return json;
  };
  const admin = call('admin');
  const window = call('window', 'WIN');
  try {
    await admin('PUT', '/api/matters/BENCH', {
      name: '跨年并联审批',
      leadDept: 'PLAN',
      coDepts: ['FIRE', 'ENV'],
      requiredMaterials: [{ code: 'app', name: '申请表' }],
      timeLimitDays: 30,
      statutoryLimitDays: 45,
      deptReviewDays: 20,
      silencePolicy: 'deemed_approve',
      fees: [],
    });
    const started = Date.now();
    let next = 0;
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < CASES) {
          next++;
          await window('POST', '/api/cases', {
            matterCode: 'BENCH',
            applicant: { name: '申请人' },
            materials: ['app'],
          });
        }
      }),
    );
    console.log(`${CASES} open cases accepted in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    const provisional = (await window('GET', '/api/cases?limit=1')).items[0].deadlineProvisional;
    console.log(`a case's deadline before publication: provisional = ${provisional}`);

    const putAt = Date.now();
    const put = await admin('PUT', '/api/calendar/2027', YEAR_2027);
    const answeredMs = Date.now() - putAt;
    console.log(`PUT /api/calendar/2027 answered in ${answeredMs} ms: affectedCases = ${put.affectedCases}`);

    const recomputedCases = async () => {
      const r = await sql<{ n: string; last: Date | null }>`
        select count(distinct case_no) as n, max(recorded_at) as last from case_events
        where type = 'deadlines_recomputed' and data->>'calendar' = ${put.calendar}`.execute(db);
      return { n: Number(r.rows[0]!.n), last: r.rows[0]!.last };
    };
    let report: any;
    for (;;) {
      report = await admin('GET', `/api/calendar/republications/${put.republicationId}`);
      if (report.finishedAt) break;
      await new Promise((r) => setTimeout(r, 500));
    }
    const finishedMs = Date.now() - putAt;
    const { n, last } = await recomputedCases();
    const allRecomputedMs = last ? last.getTime() - putAt : NaN;
    const twice = await sql<{ n: string }>`
      select count(*) as n from (select case_no from case_events
        where type = 'deadlines_recomputed' and data->>'calendar' = ${put.calendar}
        group by case_no having count(*) > 1) t`.execute(db);
    const stillProvisional = (
      (await window('GET', `/api/cases?limit=200`)).items as { deadlineProvisional: boolean }[]
    ).filter((c) => c.deadlineProvisional).length;
    const missed = CASES - n;
    console.log('');
    console.log(`open cases                          ${CASES}`);
    console.log(`affectedCases (PUT answer)          ${put.affectedCases}`);
    console.log(`cases recomputed (events)           ${n}`);
    console.log(`cases missed                        ${missed}`);
    console.log(`cases recomputed twice              ${twice.rows[0]!.n}`);
    console.log(`provisional among 200 listed        ${stillProvisional}`);
    console.log(`PUT answered                        ${answeredMs} ms`);
    console.log(`every case recomputed after         ${(allRecomputedMs / 1000).toFixed(2)} s`);
    console.log(`republication record closed after   ${(finishedMs / 1000).toFixed(2)} s`);
    console.log(`throughput                          ${(n / (allRecomputedMs / 1000)).toFixed(0)} cases/s`);
    console.log(`republication record                ${JSON.stringify(report)}`);
    if (missed !== 0 || report.missed !== 0 || put.affectedCases !== CASES) process.exitCode = 1;
  } finally {
    await system.stop();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
