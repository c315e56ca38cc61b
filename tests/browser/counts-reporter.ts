import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { FullResult, Reporter, TestCase, TestResult } from '@playwright/test/reporter';

/** Leaves `{ passed, failed }` in .tools/results/<name>.json for scripts/test-all.ts. */
export default class CountsReporter implements Reporter {
  private readonly outcomes = new Map<string, string>();
  constructor(private readonly options: { name?: string } = {}) {}

  onTestEnd(test: TestCase, _result: TestResult): void {
    this.outcomes.set(test.id, test.outcome());
  }

  onEnd(result: FullResult): void {
    const values = [...this.outcomes.values()];
    const passed = values.filter((o) => o === 'expected' || o === 'flaky').length;
    let failed = values.filter((o) => o === 'unexpected').length;
    // A run that broke before or around its tests (global setup, a crash) must not look green.
    if (result.status !== 'passed' && failed === 0) failed = 1;
    const dir = path.resolve(__dirname, '..', '..', '.tools', 'results');
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, `${this.options.name ?? 'browser'}.json`), JSON.stringify({ passed, failed }));
  }
}
