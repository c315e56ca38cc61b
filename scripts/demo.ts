import { apiClient } from './infra/api-client';
import { startThrowawaySystem } from './infra/throwaway-system';

/**
 * `npm run demo`: one case, start to finish, on the demo clock (a working day = DAY_MS), on a
 * throw-away system of its own (real PostgreSQL, real Temporal dev server): a missing-materials
 * notice, a supplement round, a silent department deemed to consent, the lead escalated once the
 * case is overdue, the decision, the payment and completion — with the timeline as it happens.
 */
const DAY_MS = Number(process.env.DEMO_DAY_MS ?? 3000);
const sleepDays = (days: number) => new Promise((r) => setTimeout(r, days * DAY_MS));

const DESCRIBE: Record<string, (d: any) => string> = {
  submitted: (d) => `window submits "${d.matter.name}" for ${d.applicant.name}, materials [${d.materials.join(', ')}]`,
  materials_notice_issued: (d) =>
    `one-time notice (一次性告知): missing ${d.missing.map((m: any) => m.name).join(', ')}`,
  materials_supplemented: (d) =>
    `window registers ${d.materials.join(', ')}${d.missing.length ? '' : ' — materials complete'}`,
  accepted: (d) => `ACCEPTED — promised deadline ${new Date(d.deadline).toISOString()}`,
  copied_to_department: (d) =>
    `copy to ${d.dept} (${d.role}), round ${d.round}, due ${new Date(d.dueAt).toISOString()}`,
  opinion_given: (d) =>
    `${d.dept} gives "${d.opinion.verdict}"${d.opinion.fees?.length ? ` with fees ${d.opinion.fees.map((f: any) => `${f.item} ${f.amountCents / 100} 元`).join(', ')}` : ''}`,
  department_warned: (d) => `yellow: ${d.dept} has one working day left`,
  department_overdue: (d) => `red: ${d.dept} passed its review limit`,
  escalated: (d) =>
    `ESCALATED (${d.scope}) to supervisors${d.depts.length ? ` and ${d.depts.join(', ')}` : ''}: ${d.reason}`,
  opinion_deemed: (d) => `${d.dept}: ${d.note}`,
  supplement_notice_issued: (d) => `ONE supplement notice (补正) for ${d.materials.map((m: any) => m.name).join(', ')}`,
  clock_suspended: (d) => `clock suspended (${d.kind})`,
  supplement_registered: (d) => `window registers supplement ${d.materials.join(', ')}`,
  clock_resumed: (d) =>
    `clock resumed after ${d.workingDays} working day(s); deadline now ${new Date(d.deadline).toISOString()}`,
  review_completed: () => 'every department has answered: to the lead to decide',
  case_warned: (d) => `case yellow: ${d.remainingWorkingDays} working days left`,
  case_overdue: () => 'case red: past its promised deadline',
  decided: (d) => `lead decides: ${d.decision}${d.conditions.length ? `, conditions: ${d.conditions.join('; ')}` : ''}`,
  payment_notice_issued: (d) => `unified fee notice: ${d.totalCents / 100} 元 in one payment`,
  payment_confirmed: (d) =>
    `payment ${d.paymentRef} confirmed; split ${d.split.map((s: any) => `${s.dept} ${s.amountCents / 100} 元`).join(', ')}`,
  completed: (d) =>
    `COMPLETED (办结): result ${d.resultNumber}, ${d.onTime ? 'on time' : `late by ${d.lateWorkingDays} working day(s)`}, ${d.usedWorkingDays} working days used`,
};

async function main(): Promise<void> {
  console.log(`Starting a throw-away system (demo day = ${DAY_MS} ms)…`);
  const system = await startThrowawaySystem({ demoDayMs: DAY_MS });
  const as = (role: string, dept?: string) => apiClient(system.baseUrl, system.token({ role, dept })).expectOk;
  const admin = as('admin');
  const window = as('window', 'WIN');
  const plan = as('department', 'PLAN');
  const env = as('department', 'ENV');

  for (const [code, name] of [
    ['PLAN', '规划局'],
    ['FIRE', '消防救援支队'],
    ['ENV', '生态环境局'],
  ])
    await admin('PUT', `/api/departments/${code}`, { name });
  await admin('PUT', '/api/matters/BUILD', {
    name: '建设工程规划许可（并联）',
    leadDept: 'PLAN',
    coDepts: ['FIRE', 'ENV'],
    requiredMaterials: [
      { code: 'app', name: '申请表' },
      { code: 'drawings', name: '设计图纸' },
      { code: 'license', name: '营业执照' },
    ],
    timeLimitDays: 6,
    deptReviewDays: 2,
    warnDays: 2,
    silencePolicy: 'deemed_approve',
    paymentDays: 10,
    fees: [
      { dept: 'PLAN', item: '规划许可费', maxAmountCents: 100_000 },
      { dept: 'ENV', item: '环评审查费', maxAmountCents: 50_000 },
    ],
  });

  const started = Date.now();
  const printed = new Set<number>();
  let caseNo = '';
  const printTimeline = async () => {
    if (!caseNo) return;
    for (const e of await as('supervisor')('GET', `/api/cases/${caseNo}/events`)) {
      if (printed.has(e.seq)) continue;
      printed.add(e.seq);
      const day = ((Date.parse(e.at) - started) / DAY_MS).toFixed(1).padStart(5);
      console.log(
        `  day ${day}  #${String(e.seq).padStart(2)} ${e.type.padEnd(24)} ${DESCRIBE[e.type]?.(e.data) ?? ''}  [${e.actor.role}${e.actor.dept ? ` ${e.actor.dept}` : ''}]`,
      );
    }
  };
  const ticker = setInterval(() => void printTimeline().catch(() => undefined), 250);
  const waitFor = async (check: (v: any) => boolean) => {
    for (;;) {
      const v = await window('GET', `/api/cases/${caseNo}`);
      if (check(v)) return v;
      await new Promise((r) => setTimeout(r, 200));
    }
  };

  console.log(`\nTimeline of case (one working day = ${DAY_MS / 1000} s):`);
  const created = await window('POST', '/api/cases', {
    matterCode: 'BUILD',
    applicant: { name: '某某置业有限公司' },
    materials: ['app', 'drawings'],
    idempotencyKey: 'demo-1',
  });
  caseNo = created.caseNo;
  await sleepDays(0.5);
  await window('POST', `/api/cases/${caseNo}/materials`, { materials: ['license'] });
  await sleepDays(0.3);
  await plan('POST', `/api/cases/${caseNo}/opinions`, {
    verdict: 'approve',
    fees: [{ item: '规划许可费', amountCents: 80_000 }],
  });
  await env('POST', `/api/cases/${caseNo}/opinions`, {
    verdict: 'request_supplement',
    materials: [{ code: 'eia', name: '环境影响报告表' }],
  });
  // FIRE stays silent: warned, then deemed to consent at its limit; then the one supplement notice goes out.
  await waitFor((v) => v.status === 'suspended');
  await sleepDays(1);
  await window('POST', `/api/cases/${caseNo}/supplements`, { materials: ['eia'] });
  await sleepDays(0.5);
  await env('POST', `/api/cases/${caseNo}/opinions`, {
    verdict: 'approve_with_conditions',
    conditions: ['施工期落实扬尘防治措施'],
    fees: [{ item: '环评审查费', amountCents: 20_000 }],
  });
  // The lead sits on the decision until the case is overdue and it is escalated.
  await waitFor((v) => v.alert === 'red');
  await sleepDays(0.3);
  const decided = await plan('POST', `/api/cases/${caseNo}/decision`, { decision: 'approve' });
  await sleepDays(0.3);
  await window('POST', `/api/cases/${caseNo}/payment`, {
    paymentRef: 'PAY-DEMO-1',
    amountCents: decided.fees.totalCents,
  });
  await waitFor((v) => v.status === 'completed');
  await new Promise((r) => setTimeout(r, 500));
  await printTimeline();
  clearInterval(ticker);
  const final = await window('GET', `/api/cases/${caseNo}`);
  console.log(
    `\nCase ${caseNo}: ${final.status}, result ${final.result.number}, late by ${final.lateWorkingDays} working day(s); played in ${((Date.now() - started) / 1000).toFixed(0)} s.`,
  );

  await system.stop();
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
