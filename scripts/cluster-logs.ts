import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

/**
 * Where the cluster tier keeps its processes' logs when one of its tests failed
 * (tests/cluster/cluster.test.ts), for scripts/test-cluster.ts to name the errors they logged: a
 * 500's cause is in an API instance's log, not in the test's assertion.
 */
export const CLUSTER_LOGS_KEPT = path.resolve(__dirname, '..', '.tools', 'results', 'cluster-logs');

/** pino's level for "error". */
const PINO_ERROR = 50;

/** The errors the API instances (pino JSON) and workers (`[ERROR]` lines) logged: distinct, in order. */
export function loggedErrors(dir = CLUSTER_LOGS_KEPT, max = 6): string[] {
  if (!existsSync(dir)) return [];
  const said = new Set<string>();
  for (const file of readdirSync(dir)
    .filter((f) => /^(api|worker)-\d+\.log$/.test(f))
    .sort()) {
    const part = file.replace(/\.log$/, '');
    for (const line of readFileSync(path.join(dir, file), 'utf8').split('\n')) {
      const error = line.startsWith('{') ? pinoError(line) : /\[ERROR\] (.*?)\s*\{?$/.exec(line)?.[1];
      if (error) said.add(`${part}: ${error}`);
    }
  }
  return [...said].slice(0, max);
}

function pinoError(line: string): string | undefined {
  try {
    const entry = JSON.parse(line) as { level?: number; msg?: string; err?: { message?: string } };
    if ((entry.level ?? 0) < PINO_ERROR) return undefined;
    return [entry.msg, entry.err?.message].filter(Boolean).join(': ') || line;
  } catch {
    return undefined;
  }
}
