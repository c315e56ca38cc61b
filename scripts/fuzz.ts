import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { apiClient } from './infra/api-client';
import { startThrowawaySystem } from './infra/throwaway-system';

/**
 * `npm run test:fuzz`: schemathesis (from PyPI, into .tools/venv) against the running system's
 * /openapi.json, once per role with a valid token, a bounded number of examples per operation.
 * Fails on any 5xx or any response that violates its documented schema.
 */
const ROOT = path.resolve(__dirname, '..');
const RESULTS_DIR = path.join(ROOT, '.tools', 'results');
const VENV = path.join(ROOT, '.tools', 'venv');
const ST = path.join(VENV, 'bin', 'st');
const SCHEMATHESIS = 'schemathesis==4.32.5';
const EXAMPLES = process.env.FUZZ_EXAMPLES ?? '25';

function ensureSchemathesis(): void {
  if (existsSync(ST)) return;
  console.log(`installing ${SCHEMATHESIS} into .tools/venv`);
  execFileSync('python3', ['-m', 'venv', VENV], { stdio: 'inherit' });
  execFileSync(path.join(VENV, 'bin', 'pip'), ['install', '--quiet', SCHEMATHESIS], { stdio: 'inherit' });
}

async function seed(baseUrl: string, admin: string, window: string, lead: string): Promise<string> {
  const call = (method: string, url: string, token: string, body: unknown) =>
    apiClient(baseUrl, token).expectOk(method, url, body);
  for (const code of ['WIN', 'PLAN', 'FIRE']) await call('PUT', `/api/departments/${code}`, admin, { name: code });
  await call('PUT', '/api/matters/BUILD', admin, {
    name: '建设工程',
    leadDept: 'PLAN',
    coDepts: ['FIRE'],
    requiredMaterials: [{ code: 'app', name: '申请表' }],
    timeLimitDays: 10,
    silencePolicy: 'deemed_approve',
    fees: [{ dept: 'PLAN', item: 'fee', maxAmountCents: 1000 }],
  });
  const created = await call('POST', '/api/cases', window, {
    matterCode: 'BUILD',
    applicant: { name: 'A' },
    materials: ['app'],
  });
  await call('POST', `/api/cases/${created.caseNo}/opinions`, lead, { verdict: 'approve' });
  return created.caseNo;
}

/** Runs schemathesis, echoing its output, and counts the test cases it reports ("N generated"). */
function runAsync(cmd: string, args: string[]): Promise<{ status: number | null; generated: number; failed: number }> {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'inherit'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      process.stdout.write(chunk);
    });
    child.once('exit', (status) =>
      resolve({
        status,
        generated: [...output.matchAll(/(\d+) generated/g)].reduce((n, m) => n + Number(m[1]), 0),
        failed: [...output.matchAll(/(\d+) failed/g)].reduce((n, m) => n + Number(m[1]), 0),
      }),
    );
  });
}

async function main(): Promise<void> {
  ensureSchemathesis();
  const system = await startThrowawaySystem({ logLevel: 'fatal' });
  let failed = false;
  let requests = 0;
  let failedCases = 0;
  try {
    const tokens = {
      admin: system.token({ role: 'admin' }),
      window: system.token({ role: 'window', dept: 'WIN' }),
      lead: system.token({ role: 'department', dept: 'PLAN' }),
      supervisor: system.token({ role: 'supervisor' }),
    };
    const caseNo = await seed(system.baseUrl, tokens.admin, tokens.window, tokens.lead);
    console.log(`fuzzing ${system.baseUrl}/openapi.json (seeded case ${caseNo})`);
    for (const [role, token] of Object.entries(tokens)) {
      // Asynchronously: the API under test runs in this very process.
      const run = await runAsync(ST, [
        'run',
        `${system.baseUrl}/openapi.json`,
        '-H',
        `Authorization: Bearer ${token}`,
        '--checks',
        'not_a_server_error,response_schema_conformance,content_type_conformance',
        '--max-examples',
        EXAMPLES,
        '--phases',
        'examples,fuzzing',
        '--seed',
        '1',
        '--workers',
        '2',
        '--suppress-health-check',
        'all',
        // An event stream never ends by itself (tests/e2e/stream.test.ts covers it).
        '--exclude-path',
        '/api/stream',
      ]);
      console.log(`schemathesis as ${role}: exit ${run.status}, ${run.generated} test cases`);
      requests += run.generated;
      // A run that fails without naming failed cases (it crashed) still counts as one failure.
      failedCases += run.status !== 0 ? Math.max(1, run.failed) : run.failed;
      if (run.status !== 0) failed = true;
    }
  } finally {
    await system.stop();
  }
  console.log(
    `fuzzing ${failed ? 'FAILED' : 'passed'}: ${requests} generated test cases (each at least one request) in all`,
  );
  // The run's closing line counts every generated test case (scripts/test-all.ts reads this).
  mkdirSync(RESULTS_DIR, { recursive: true });
  writeFileSync(
    path.join(RESULTS_DIR, 'fuzz.json'),
    JSON.stringify({ passed: Math.max(0, requests - failedCases), failed: failedCases }),
  );
  process.exit(failed ? 1 : 0);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
