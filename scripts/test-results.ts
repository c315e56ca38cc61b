import { readFileSync } from 'node:fs';
import { stripVTControlCharacters } from 'node:util';

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

/** What a failure's message says first, on one line (a diff's first lines show what differed). */
const SAID_LINES = 8;
const LINE_CHARS = 700;

/** One line of a failure: its name and the start of what it said (without terminal colours). */
export function failureLine(name: string, message: string | undefined): string {
  const said = stripVTControlCharacters(message ?? '')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '')
    .slice(0, SAID_LINES)
    .join(' ⏎ ');
  const line = said ? `${name}: ${said}` : name;
  return line.length > LINE_CHARS ? `${line.slice(0, LINE_CHARS - 1)}…` : line;
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
