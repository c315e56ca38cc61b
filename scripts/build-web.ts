import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/**
 * Builds the web console into web/dist when it is missing or older than its sources (npm start
 * and npm test call this; `--force` always builds). The stamp file records when the build ran.
 */
const ROOT = path.resolve(__dirname, '..');
const WEB = path.join(ROOT, 'web');
const STAMP = path.join(WEB, 'dist', '.built');
const INPUTS = [
  path.join(WEB, 'src'),
  path.join(WEB, 'index.html'),
  path.join(WEB, 'vite.config.mts'),
  path.join(ROOT, 'package-lock.json'),
];

function newest(file: string): number {
  const stat = statSync(file);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(0, ...readdirSync(file).map((name) => newest(path.join(file, name))));
}

export function webIsStale(): boolean {
  if (!existsSync(STAMP)) return true;
  const built = statSync(STAMP).mtimeMs;
  return INPUTS.some((input) => existsSync(input) && newest(input) > built);
}

export function buildWeb(opts: { force?: boolean; log?: (m: string) => void } = {}): void {
  const log = opts.log ?? ((m: string) => console.log(`[web] ${m}`));
  if (!opts.force && !webIsStale()) {
    log('console build is up to date (web/dist)');
    return;
  }
  log('building the web console (vite) into web/dist …');
  const started = Date.now();
  const run = spawnSync(
    path.join(ROOT, 'node_modules', '.bin', 'vite'),
    ['build', '--config', 'web/vite.config.mts', '--logLevel', 'warn'],
    {
      cwd: ROOT,
      stdio: 'inherit',
    },
  );
  if (run.status !== 0) throw new Error(`vite build failed (exit ${run.status})`);
  writeFileSync(STAMP, new Date().toISOString());
  log(`console built in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

if (require.main === module) {
  try {
    buildWeb({ force: process.argv.includes('--force') });
  } catch (err) {
    console.error((err as Error).message);
    process.exit(1);
  }
}
