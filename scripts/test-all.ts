import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { readVitestReport, type TierResult } from './test-results';

/**
 * `npm test`: every tier in turn, each run even when an earlier one failed, and one closing line
 * over all of them in the plain form CI reads — "N passed, N failed", nothing before it.
 *
 * A tier is a command that leaves `{ passed, failed }` in `.tools/results/<name>.json`; a check
 * (typecheck, lint) writes nothing and counts as one test. A command that fails without saying
 * how many of its tests failed counts as one failure, so a crash can never look green. Failures a
 * tier names are listed just above the closing lines.
 */
interface Tier {
  name: string;
  command: string[];
  /** Turns what the tier left in its results file into counts; absent: a single check. */
  read?: (file: string) => TierResult;
}

const RESULTS_DIR = path.join('.tools', 'results');

const readCounts = (file: string): TierResult => JSON.parse(readFileSync(file, 'utf8')) as TierResult;

const tiers: Tier[] = [
  { name: 'typecheck', command: ['npm', 'run', '-s', 'typecheck'] },
  { name: 'lint', command: ['npm', 'run', '-s', 'lint'] },
  { name: 'tools', command: ['npx', 'tsx', 'scripts/ensure-tools.ts'] },
  {
    name: 'vitest',
    command: [
      'npx',
      'vitest',
      'run',
      '--reporter=default',
      '--reporter=json',
      `--outputFile.json=${path.join(RESULTS_DIR, 'vitest.json')}`,
    ],
    read: readVitestReport,
  },
  { name: 'fuzz', command: ['npx', 'tsx', 'scripts/fuzz.ts'], read: readCounts },
  // The web console in the system's Chromium against the real system (builds web/dist when stale).
  { name: 'browser', command: ['npm', 'run', '-s', 'test:browser'], read: readCounts },
  // The production shape: Temporal server (built from Go, cached) on PostgreSQL, 2 workers, 2 APIs.
  { name: 'cluster', command: ['npx', 'tsx', 'scripts/test-cluster.ts'], read: readCounts },
  { name: 'faults', command: ['npx', 'tsx', 'scripts/faults.ts'], read: readCounts },
];

function main(): void {
  const only = process.argv.slice(2);
  rmSync(RESULTS_DIR, { recursive: true, force: true });
  mkdirSync(RESULTS_DIR, { recursive: true });
  const total = { passed: 0, failed: 0 };
  const lines: string[] = [];
  const failures: string[] = [];
  for (const tier of tiers.filter((t) => only.length === 0 || only.includes(t.name))) {
    const started = Date.now();
    const run = spawnSync(tier.command[0]!, tier.command.slice(1), { stdio: 'inherit', env: process.env });
    const file = path.join(RESULTS_DIR, `${tier.name}.json`);
    let counts: TierResult;
    if (tier.read && existsSync(file)) {
      counts = tier.read(file);
      // A runner that exits non-zero but reports no failed test (a crashed setup) still fails.
      if (run.status !== 0 && counts.failed === 0) counts = { ...counts, failed: 1 };
    } else {
      counts = run.status === 0 ? { passed: 1, failed: 0 } : { passed: 0, failed: 1 };
    }
    total.passed += counts.passed;
    total.failed += counts.failed;
    if (counts.failed > 0) {
      const named = counts.failures ?? [];
      failures.push(
        ...(named.length > 0 ? named : ['(the tier failed without naming a test: see its output)']).map(
          (f) => `${tier.name}: ${f}`,
        ),
      );
    }
    lines.push(
      `${tier.name.padEnd(10)} ${String(counts.passed).padStart(5)} passed ${String(counts.failed).padStart(3)} failed` +
        ` ${Math.round((Date.now() - started) / 1000)} s`,
    );
  }
  if (failures.length > 0) console.log(['', 'failed:', ...failures.map((f) => `  ${f}`)].join('\n'));
  console.log(['', 'tiers:', ...lines.map((l) => `  ${l}`)].join('\n'));
  console.log(`${total.passed} passed, ${total.failed} failed`);
  process.exit(total.failed > 0 ? 1 : 0);
}

main();
