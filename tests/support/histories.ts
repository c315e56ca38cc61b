import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { inject } from 'vitest';
import { ensureTemporalCli } from '../../scripts/infra/temporal-cli';
import type { TestSystem } from './system';

export const HISTORIES_DIR = path.join(__dirname, '..', 'replay', 'histories');

/**
 * With RECORD_HISTORIES=1, saves the case workflow's history (as `temporal workflow show --output
 * json` writes it, the format replay expects) under tests/replay/histories/, so the replay test can
 * guard running cases against incompatible workflow changes. Otherwise does nothing.
 */
export async function recordHistory(_sys: TestSystem, caseNo: string, scenario: string): Promise<void> {
  if (process.env.RECORD_HISTORIES !== '1') return;
  const cli = ensureTemporalCli(() => undefined);
  if (!cli) throw new Error('recording histories needs the Temporal CLI');
  const json = execFileSync(
    cli,
    ['workflow', 'show', '--workflow-id', caseNo, '--address', inject('temporalAddress'), '--output', 'json'],
    { encoding: 'utf8' },
  );
  mkdirSync(HISTORIES_DIR, { recursive: true });
  writeFileSync(path.join(HISTORIES_DIR, `${scenario}.json`), json);
}
