import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { buildWeb } from './build-web';
import { CLUSTER_LOGS_KEPT, loggedErrors } from './cluster-logs';
import { ensureTemporalServerTools } from './infra/temporal-binaries';
import { ensureTemporalCli } from './infra/temporal-cli';
import { failureLine, readVitestReport } from './test-results';

/**
 * `npm run test:cluster`: builds (first time only) the Temporal server, temporal-sql-tool and the
 * CLI from the Go module proxy, runs the cluster tier and leaves `{ passed, failed }` in
 * .tools/results/cluster.json for scripts/test-all.ts.
 */
const ROOT = path.resolve(__dirname, '..');
const RESULTS = path.join(ROOT, '.tools', 'results');
const REPORT = path.join(RESULTS, 'cluster-vitest.json');

const started = Date.now();
ensureTemporalCli();
ensureTemporalServerTools();
buildWeb(); // the API instances serve the console from web/dist
mkdirSync(RESULTS, { recursive: true });
rmSync(REPORT, { force: true });
rmSync(CLUSTER_LOGS_KEPT, { recursive: true, force: true });
const run = spawnSync(
  'npx',
  [
    'vitest',
    'run',
    '--config',
    'vitest.cluster.config.mts',
    '--reporter=default',
    '--reporter=json',
    `--outputFile.json=${REPORT}`,
  ],
  { stdio: 'inherit', cwd: ROOT },
);
const report = existsSync(REPORT) ? readVitestReport(REPORT) : undefined;
const counts = {
  passed: report?.passed ?? 0,
  // A run that fails without naming a failed test (a crashed setup) still counts as one failure.
  failed: Math.max(report?.failed ?? 0, run.status === 0 ? 0 : 1),
  // What the processes logged as errors beside the failed tests (their logs are kept then).
  failures: [...(report?.failures ?? []), ...loggedErrors().map((e) => failureLine('cluster log', e))],
};
writeFileSync(path.join(RESULTS, 'cluster.json'), JSON.stringify(counts));
console.log(
  `cluster tier: ${counts.passed} passed, ${counts.failed} failed in ${Math.round((Date.now() - started) / 1000)} s`,
);
process.exit(counts.failed ? 1 : 0);
