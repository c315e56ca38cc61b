import { readFileSync } from 'node:fs';

/**
 * What a tier leaves in `.tools/results/<name>.json` for scripts/test-all.ts: its counts and, when
 * something failed, a line naming each failure — so the closing summary says which test broke
 * and why, even where only the end of a long run's output is kept.
 */
export interface TierResult {
  passed: number;
  failed: number;
  failures?: string[];
}

/** One line of a failure: its name and the first line of what it said. */
export function failureLine(name: string, message: string | undefined): string {
  const said = (message ?? '').split('\n').find((l) => l.trim() !== '') ?? '';
  const line = said ? `${name}: ${said.trim()}` : name;
  return line.length > 400 ? `${line.slice(0, 399)}…` : line;
}

interface VitestReport {
  numPassedTests: number;
  numFailedTests: number;
  testResults?: {
    name: string;
    message?: string;
    assertionResults?: { status: string; fullName: string; failureMessages?: string[] }[];
  }[];
}

/** A vitest JSON report as a tier's result; a file that failed outside its tests names itself. */
export function readVitestReport(file: string): TierResult {
  const report = JSON.parse(readFileSync(file, 'utf8')) as VitestReport;
  const failures: string[] = [];
  for (const suite of report.testResults ?? []) {
    const failed = (suite.assertionResults ?? []).filter((a) => a.status === 'failed');
    for (const a of failed) failures.push(failureLine(a.fullName, a.failureMessages?.[0]));
    if (failed.length === 0 && suite.message) failures.push(failureLine(suite.name, suite.message));
  }
  return { passed: report.numPassedTests, failed: report.numFailedTests, failures };
}
