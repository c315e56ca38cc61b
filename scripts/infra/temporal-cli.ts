import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * The official Temporal CLI (dev server inside), built from the Go module proxy. Later tags carry
 * a `replace` directive and cannot be go-installed, hence the pin.
 */
export const TEMPORAL_CLI_MODULE = 'github.com/temporalio/cli/cmd/temporal@v1.5.1';
const PROJECT_ROOT = path.resolve(__dirname, '..', '..');
const PROJECT_BIN = path.join(PROJECT_ROOT, '.tools', 'bin', 'temporal');
/** A per-user cache outside the clone, so a fresh clone on the same machine does not rebuild Go tools. */
export const USER_CACHE_DIR = path.join(
  process.env.XDG_CACHE_HOME ?? path.join(os.homedir(), '.cache'),
  'joint-approval',
);
const USER_CACHE_BIN = path.join(USER_CACHE_DIR, 'temporal-cli-v1.5.1', 'temporal');

export function hasGo(): boolean {
  try {
    execFileSync('go', ['version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/**
 * Returns the path of a usable Temporal CLI binary, building it with `go install` when needed,
 * or undefined when there is neither a binary nor Go (callers then fall back to the
 * `@temporalio/testing` download).
 */
export function ensureTemporalCli(log: (msg: string) => void = console.log): string | undefined {
  if (process.env.TEMPORAL_CLI_PATH) return process.env.TEMPORAL_CLI_PATH;
  if (existsSync(PROJECT_BIN)) return PROJECT_BIN;
  if (!existsSync(USER_CACHE_BIN)) {
    if (!hasGo()) return undefined;
    log(`Building the Temporal CLI (${TEMPORAL_CLI_MODULE}) with go install; first time only, a few minutes…`);
    mkdirSync(path.dirname(USER_CACHE_BIN), { recursive: true });
    execFileSync('go', ['install', TEMPORAL_CLI_MODULE], {
      stdio: 'inherit',
      env: { ...process.env, GOBIN: path.dirname(USER_CACHE_BIN), CGO_ENABLED: '0' },
    });
  }
  mkdirSync(path.dirname(PROJECT_BIN), { recursive: true });
  copyFileSync(USER_CACHE_BIN, PROJECT_BIN);
  return PROJECT_BIN;
}
