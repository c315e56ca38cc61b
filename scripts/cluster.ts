import path from 'node:path';
import { loadConfig } from '../config';
import { buildWeb } from './build-web';
import { CLUSTER_PORTS, startCluster } from './infra/cluster';

/**
 * `npm run cluster`: the production shape on this machine — PostgreSQL (databases joint_approval,
 * temporal, temporal_visibility), the Temporal server built from Go on it, two workers and two API
 * instances. Data in .data/cluster/ survives a restart. Ctrl-C stops it all.
 */
const ROOT = path.resolve(__dirname, '..');
const DATA = path.join(ROOT, '.data', 'cluster');
const log = (m: string) => console.log(`[cluster] ${m}`);

async function main(): Promise<void> {
  // The console's dev sign-in, as with npm start, unless said otherwise (config refuses it in production).
  const devLogin = process.env.DEV_LOGIN ?? (process.env.NODE_ENV === 'production' ? '0' : '1');
  const config = loadConfig({ ...process.env, DEV_LOGIN: devLogin });
  buildWeb({ log });
  const env: Record<string, string> = { DEV_LOGIN: devLogin };
  if (config.demoDaySeconds) {
    env.DEMO_DAY_SECONDS = String(config.demoDaySeconds);
    env.DEMO_EPOCH_MS = String(config.demoEpochMs);
  }
  const cluster = await startCluster({ dataDir: DATA, env, ui: true, log });
  let stopping = false;
  const shutdown = async () => {
    if (stopping) return;
    stopping = true;
    log('stopping…');
    await cluster.stop();
    process.exit(0);
  };
  process.once('SIGINT', () => void shutdown());
  process.once('SIGTERM', () => void shutdown());

  const p = CLUSTER_PORTS;
  const rows: [string, string][] = [
    ...cluster.apiUrls.map((url, i): [string, string] => [
      `API ${i + 1}`,
      `${url}   (console /, docs /docs, /health, /metrics)`,
    ]),
    ...cluster.workerMetricsUrls.map((url, i): [string, string] => [`worker ${i + 1}`, `metrics ${url}`]),
    ['Temporal', `${cluster.temporalAddress}   (metrics ${cluster.temporalMetricsUrl})`],
    ['Temporal UI', cluster.ui ? cluster.ui.url : 'not available (see .data/cluster/logs, docs/deployment.md)'],
    [
      'PostgreSQL',
      `127.0.0.1:${p.postgres}   databases joint_approval, temporal, temporal_visibility (superuser postgres/postgres)`,
    ],
    ['logs', path.relative(process.cwd(), cluster.logDir) || cluster.logDir],
  ];
  log('the joint-approval cluster is up:');
  for (const [what, where] of rows) log(`  ${what.padEnd(12)} ${where}`);
  log(`  a token:     npm run token -- --role admin --sub admin1`);
  log(
    `  stuck cases: .tools/bin/temporal workflow list --address ${cluster.temporalAddress} --query "CaseAlert='red'"`,
  );
  if (config.demoDaySeconds) log(`  demo clock:  one working day = ${config.demoDaySeconds} s`);
  log('Ctrl-C stops it all; data stays in .data/cluster/');
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
