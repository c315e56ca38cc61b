import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { FullResult, Reporter, TestCase, TestResult } from '@playwright/test/reporter';
import { failureLine, type TierResult } from '../../scripts/test-results';

/** Leaves `{ passed, failed, failures }` in .tools/results/<name>.json for scripts/test-all.ts. */
export default class CountsReporter implements Reporter {
  private readonly outcomes = new Map<string, { outcome: string; failure: string }>();
  constructor(private readonly options: { name?: string } = {}) {}

  onTestEnd(test: TestCase, result: TestResult): void {
    const name = `${path.basename(test.location.file)}:${test.location.line} ${test.title}`;
    this.outcomes.set(test.id, { outcome: test.outcome(), failure: failureLine(name, result.error?.message) });
  }

  onEnd(result: FullResult): void {
    const values = [...this.outcomes.values()];
    const passed = values.filter((o) => o.outcome === 'expected' || o.outcome === 'flaky').length;
    const failures = values.filter((o) => o.outcome === 'unexpected').map((o) => o.failure);
    // A run that broke before or around its tests (global setup, a crash) must not look green.
    if (result.status !== 'passed' && failures.length === 0) failures.push(`the run ended ${result.status}`);
    const counts: TierResult = { passed, failed: failures.length, failures };
    const dir = path.resolve(__dirname, '..', '..', '.tools', 'results');
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, `${this.options.name ?? 'browser'}.json`), JSON.stringify(counts));
  }
}
