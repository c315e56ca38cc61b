import { chmodSync, cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { isDeepStrictEqual } from 'node:util';
import path from 'node:path';
import { Client as TemporalClient, Connection } from '@temporalio/client';
import { temporal as proto } from '@temporalio/proto';
import { createSigner } from 'fast-jwt';
import pg from 'pg';
import { createDb } from '../db';
import { migrateToLatest } from '../db/migrator';
import { fromEventRow } from '../db/repositories/case-events';
import { fold } from '../domain/evolve';
import { bundleCaseWorkflows } from '../worker/create-worker';
import { stateQuery } from '../workflows/definitions';
import { freePort } from './infra/free-port';
import { killableNode, killablePostgres, killableTemporal, type Killable } from './infra/killable';
import { ensureTemporalCli } from './infra/temporal-cli';
import { failureLine, type TierResult } from './test-results';

/**
 * `npm run test:faults`: the real system as separate processes — embedded PostgreSQL, the Temporal
 * dev server on a file database, the worker and the API — with ~100 cases driven through their
 * whole lifecycle over HTTP while each process is killed with SIGKILL in turn and started again.
 * Clients retry with the same Idempotency-Key until they get an answer that is not an outage.
 * Then race 1 of issue 8 on the demo clock: Temporal is killed, a department's opinion is sent
 * just before its limit, Temporal comes back after it; the opinion must stand as given, on time.
 * Then a lost workflow task, twice (the second time with Temporal restarted while it is lost): a
 * second worker dies right after its local appendEvents committed, before its task completed, while
 * every department's opinion is in flight many times over; the other worker must adopt what the
 * lost task recorded (lostWorkflowTask). Writes { passed, failed } (one per check) to .tools/results/faults.json, and the figures and the
 * race's timeline to .tools/results/faults-figures.json.
 *
 * Deterministic on a slow or loaded machine: a fault strikes when the load has reached a share of
 * its acts (not after a fixed time), a restarted part counts as up when it is seen serving (the
 * worker polling its task queue under its new pid, the API's /health, Temporal's system info), the
 * race's order (receipt before the limit, deemed consent before the receipt is applied) is made by
 * the test, not left to timing, the lost task's crash is made by its worker at the append that
 * closes the review round, and every wait is bounded, the whole tier too (FAULTS_TIMEOUT_MS).
 */
const ROOT = path.resolve(__dirname, '..');
const RESULTS = path.join(ROOT, '.tools', 'results');
const CASES = Number(process.env.FAULT_CASES ?? 100);
const DAY_SECONDS = 10; // the demo clock: one working day = 10 s
const COMMAND_WAIT_MS = 5000;
const SECRET = 'fault-tier-secret-0123456789abcdef0123';
/** The whole tier at most (then it fails, servers stopped): CI must never hang on it. */
const TIER_TIMEOUT_MS = Number(process.env.FAULTS_TIMEOUT_MS ?? 15 * 60_000);
/** A restarted part must be seen serving within this. */
const READY_MS = 120_000;
/** The acts of one case: a submission, three opinions, the decision, the payment. */
const ACTS_PER_CASE = 6;

const t0 = Date.now();
const clock = () => `${((Date.now() - t0) / 1000).toFixed(1).padStart(6)} s`;
const say = (m: string) => console.log(`[faults ${clock()}] ${m}`);
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, Math.max(0, ms)));

/** Polls `probe` until it holds, at most `timeoutMs`; then fails naming what was awaited. */
async function waitUntil(what: string, probe: () => Promise<boolean> | boolean, timeoutMs: number, everyMs = 250) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await Promise.resolve(probe()).catch(() => false)) return;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(everyMs);
  }
}

/** A short-lived client connection to the Temporal frontend, for a probe. */
async function withTemporal<T>(address: string, use: (c: Connection) => Promise<T>): Promise<T> {
  const connection = await Connection.connect({ address, connectTimeout: 2_000 });
  try {
    return await connection.withDeadline(Date.now() + 3_000, () => use(connection));
  } finally {
    await connection.close();
  }
}

/** The frontend answers (not only its port is open). */
const temporalServing = (address: string) =>
  withTemporal(address, async (c) => !!(await c.workflowService.getSystemInfo({})));

/** A worker with this pid polls the task queue (its default identity is pid@host). */
const workerPolling = (address: string, taskQueue: string, pid: number | undefined) =>
  pid !== undefined &&
  withTemporal(address, async (c) => {
    const { pollers } = await c.workflowService.describeTaskQueue({
      namespace: 'default',
      taskQueue: { name: taskQueue },
      taskQueueType: proto.api.enums.v1.TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW,
    });
    return (pollers ?? []).some((p) => p.identity?.startsWith(`${pid}@`));
  });

/** The API answers /health with every part up. */
const apiHealthy = async (base: string) =>
  (await fetch(`${base}/health`, { signal: AbortSignal.timeout(5_000) })).status === 200;

/** PostgreSQL takes a query. */
async function postgresServing(url: string): Promise<boolean> {
  const c = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2_000 });
  try {
    await c.connect();
    await c.query('select 1');
    return true;
  } finally {
    await c.end().catch(() => undefined);
  }
}

interface Check {
  name: string;
  ok: boolean;
  detail: string;
}
const checks: Check[] = [];
function check(name: string, ok: boolean, detail = ''): void {
  checks.push({ name, ok, detail });
  say(`${ok ? 'PASS' : 'FAIL'} ${name}${detail ? ` — ${detail}` : ''}`);
}

/** A client that retries outages (connection refused or reset, 503) with the same key, as api.md asks. */
class Client {
  requests = 0;
  retries = 0;
  internalErrors = 0;
  /** Answers 503 service_unavailable, and requests that found no API (refused, reset, timed out). */
  unavailable = 0;
  connectionErrors = 0;
  readonly acked: {
    caseNo?: string;
    act: string;
    dept?: string;
    method: string;
    url: string;
    body: unknown;
    key?: string;
    token: string;
    status: number;
  }[] = [];
  constructor(private readonly base: string) {}

  async call(
    method: string,
    url: string,
    token: string,
    body?: unknown,
    opts: { key?: string; act?: string; dept?: string; caseNo?: string; giveUpMs?: number } = {},
  ): Promise<{ status: number; body: any; headers: Headers }> {
    const giveUpAt = Date.now() + (opts.giveUpMs ?? 180_000);
    let lastOutage = '';
    for (let attempt = 0; ; attempt++) {
      if (attempt) this.retries++;
      this.requests++;
      let res: Response | undefined;
      try {
        res = await fetch(this.base + url, {
          method,
          headers: {
            authorization: `Bearer ${token}`,
            ...(body === undefined ? {} : { 'content-type': 'application/json' }),
            ...(opts.key ? { 'idempotency-key': opts.key } : {}),
          },
          body: body === undefined ? undefined : JSON.stringify(body),
          signal: AbortSignal.timeout(30_000),
        });
      } catch {
        res = undefined; // the API is down or was killed mid-request
        this.connectionErrors++;
      }
      if (res?.status === 503) this.unavailable++;
      if (res && res.status !== 503) {
        const text = await res.text();
        const parsed = text ? JSON.parse(text) : undefined;
        if (res.status >= 500) this.internalErrors++;
        if (res.status < 300 && opts.act)
          this.acked.push({
            caseNo: opts.caseNo ?? parsed?.caseNo,
            act: opts.act,
            dept: opts.dept,
            method,
            url,
            body,
            key: opts.key,
            token,
            status: res.status,
          });
        if (res.status < 500) return { status: res.status, body: parsed, headers: res.headers };
      } else if (res) lastOutage = await res.text();
      if (Date.now() > giveUpAt)
        throw new Error(
          `${method} ${url} (key ${opts.key}): no answer after retrying; last ${res ? `HTTP ${res.status} ${lastOutage.slice(0, 300)}` : 'connection error'}`,
        );
      // Backing off (with jitter) as a well-behaved client does, so the retries do not bury the servers.
      await sleep(Math.min(4000, 250 * 2 ** Math.min(attempt, 4)) * (0.5 + Math.random()));
    }
  }
}

async function main(): Promise<void> {
  const cli = ensureTemporalCli();
  if (!cli) throw new Error('the fault tier needs the Temporal CLI (Go or a cached build)');
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'ja-faults-'));
  chmodSync(tmp, 0o755); // the embedded server runs as the unprivileged postgres user
  const logs = path.join(tmp, 'logs');
  mkdirSync(logs);
  // Its figures and counts go there also when the tier runs on its own (npm run test:faults).
  mkdirSync(RESULTS, { recursive: true });
  const [pgPort, temporalPort, apiPort] = [await freePort(), await freePort(), await freePort()];
  const postgres = killablePostgres({ dataDir: path.join(tmp, 'pg'), port: pgPort });
  const temporal = killableTemporal({
    cli,
    dataDir: tmp,
    port: temporalPort,
    logFile: path.join(logs, 'temporal.log'),
  });
  const restarts: Record<string, number> = { worker: 0, api: 0 };
  const components: Killable[] = [];
  let failedToRun: unknown;
  // Interrupted: take the servers down with us rather than leave them running.
  for (const signal of ['SIGINT', 'SIGTERM'] as const)
    process.once(signal, () => {
      void Promise.all(components.map((c) => c.kill().catch(() => undefined))).then(() => process.exit(130));
    });
  // The whole tier is bounded: past TIER_TIMEOUT_MS it fails, with the servers taken down.
  const watchdog = setTimeout(() => {
    say(`FAIL the tier did not finish within ${TIER_TIMEOUT_MS / 1000} s`);
    const failures = [`the tier did not finish within ${TIER_TIMEOUT_MS / 1000} s`];
    writeFileSync(path.join(RESULTS, 'faults.json'), JSON.stringify({ passed: 0, failed: 1, failures }));
    void Promise.all(components.map((c) => c.kill().catch(() => undefined))).then(() => process.exit(1));
  }, TIER_TIMEOUT_MS);
  try {
    say(`starting PostgreSQL (:${pgPort}) and the Temporal dev server (:${temporalPort}, file database)`);
    const temporalAddress = `127.0.0.1:${temporalPort}`;
    const apiBase = `http://127.0.0.1:${apiPort}`;
    const TASK_QUEUE = 'faults';
    await postgres.start();
    await createDatabase(pgPort);
    components.push(postgres);
    await temporal.start();
    components.push(temporal);
    await waitUntil('the Temporal frontend to serve', () => temporalServing(temporalAddress), READY_MS);
    const migrations = createDb(postgres.url, 1);
    await migrateToLatest(migrations);
    await migrations.destroy();
    const bundlePath = path.join(tmp, 'workflow-bundle.js');
    const bundle = await bundleCaseWorkflows({
      trace() {},
      debug() {},
      info() {},
      warn() {},
      error: console.error,
      log() {},
    } as never);
    writeFileSync(bundlePath, bundle.code);

    const demoEpochMs = Date.now();
    const env = {
      ...process.env,
      NODE_ENV: 'test',
      DATABASE_URL: postgres.url,
      TEMPORAL_ADDRESS: temporalAddress,
      TEMPORAL_TASK_QUEUE: TASK_QUEUE,
      JWT_SECRET: SECRET,
      HOST: '127.0.0.1',
      PORT: String(apiPort),
      DEMO_DAY_SECONDS: String(DAY_SECONDS),
      DEMO_EPOCH_MS: String(demoEpochMs),
      COMMAND_WAIT_MS: String(COMMAND_WAIT_MS),
      RECEIPT_APPLIER_INTERVAL_MS: '500',
      WORKFLOW_BUNDLE_PATH: bundlePath,
      LOG_LEVEL: 'warn',
    };
    const worker: Killable = killableNode({
      name: 'worker',
      root: ROOT,
      entry: 'worker/main.ts',
      env,
      logFile: path.join(logs, 'worker.log'),
      ready: () =>
        waitUntil(
          'the worker to poll its task queue',
          () => workerPolling(temporalAddress, TASK_QUEUE, worker.pid()),
          READY_MS,
          500,
        ),
      onRestart: (code) => {
        restarts.worker!++;
        say(`worker exited on its own (${code}); restarted by the supervisor`);
      },
    });
    const api = killableNode({
      name: 'api',
      root: ROOT,
      entry: 'api/main.ts',
      env,
      logFile: path.join(logs, 'api.log'),
      ready: () => waitUntil('the API to answer /health 200', () => apiHealthy(apiBase), READY_MS, 500),
      onRestart: (code) => {
        restarts.api!++;
        say(`API exited on its own (${code}); restarted by the supervisor`);
      },
    });
    await worker.start();
    components.push(worker);
    await api.start();
    components.push(api);
    say('worker and API up');

    const sign = createSigner({ key: SECRET, algorithm: 'HS256', expiresIn: 3_600_000 });
    const token = (role: string, dept?: string) =>
      sign({ sub: `${role}-${dept ?? 'x'}`, name: role, role, ...(dept ? { dept } : {}) });
    const client = new Client(apiBase);
    const admin = token('admin');
    for (const code of ['WIN', 'PLAN', 'FIRE', 'ENV'])
      await client.call('PUT', `/api/departments/${code}`, admin, { name: code });
    const materials = [{ code: 'app', name: '申请表' }];
    await client.call('PUT', '/api/matters/LOAD', admin, {
      name: '故障注入负载',
      leadDept: 'PLAN',
      coDepts: ['FIRE', 'ENV'],
      requiredMaterials: materials,
      timeLimitDays: 60,
      statutoryLimitDays: 90,
      deptReviewDays: 40,
      silencePolicy: 'deemed_approve',
      fees: [{ dept: 'FIRE', item: '消防审核费', maxAmountCents: 50_000 }],
      paymentDays: 60,
    });
    // Two demo days for FIRE: 20–30 s from acceptance, room enough to set the race up on a slow machine.
    const RACE_REVIEW_DAYS = 2;
    await client.call('PUT', '/api/matters/RACE', admin, {
      name: '时限竞争',
      leadDept: 'PLAN',
      coDepts: ['FIRE'],
      requiredMaterials: materials,
      timeLimitDays: 20,
      deptReviewDays: RACE_REVIEW_DAYS,
      silencePolicy: 'deemed_approve',
      fees: [{ dept: 'FIRE', item: '消防审核费', maxAmountCents: 50_000 }],
      paymentDays: 60,
    });

    // ------------------------------------------------------------ load with faults
    const tokens = {
      window: token('window', 'WIN'),
      PLAN: token('department', 'PLAN'),
      FIRE: token('department', 'FIRE'),
      ENV: token('department', 'ENV'),
    };
    const FEE = 12_300;
    /** Acts of the load answered as done so far (a case's six acts count one each). */
    let actsDone = 0;
    /** Sent twice at once with one key (a client retrying before the first answer): both must agree. */
    const twice = async (send: () => ReturnType<Client['call']>) => {
      const [a, b] = await Promise.all([send(), send()]);
      if (a.status !== b.status || JSON.stringify(a.body?.caseNo) !== JSON.stringify(b.body?.caseNo))
        throw new Error(`the same key sent twice at once answered ${a.status} and ${b.status} differently`);
      return a;
    };
    async function lifecycle(i: number): Promise<string> {
      await sleep(i * 300 + Math.random() * 300); // staggered over ~30 s, so faults hit cases at every stage
      const sub = await twice(() =>
        client.call(
          'POST',
          '/api/cases',
          tokens.window,
          { matterCode: 'LOAD', applicant: { name: `申请人${i}` }, materials: ['app'] },
          { key: `submit-${i}`, act: 'submit' },
        ),
      );
      if (sub.status !== 201) throw new Error(`case ${i}: submit ${sub.status} ${JSON.stringify(sub.body)}`);
      actsDone++;
      const caseNo = sub.body.caseNo as string;
      const opinion = async (dept: 'PLAN' | 'FIRE' | 'ENV', body: unknown) => {
        const answer = await client.call('POST', `/api/cases/${caseNo}/opinions`, tokens[dept], body, {
          key: `op-${i}-${dept}`,
          act: 'opinion',
          dept,
          caseNo,
        });
        actsDone++;
        return answer;
      };
      const answers = await Promise.all([
        opinion('FIRE', { verdict: 'approve', fees: [{ item: '消防审核费', amountCents: FEE }] }),
        opinion('ENV', { verdict: 'approve' }),
        opinion('PLAN', { verdict: 'approve' }),
      ]);
      for (const a of answers)
        if (a.status !== 200) throw new Error(`case ${caseNo}: opinion ${a.status} ${a.body?.code}`);
      await sleep(Math.random() * 1000);
      const decided = await client.call(
        'POST',
        `/api/cases/${caseNo}/decision`,
        tokens.PLAN,
        { decision: 'approve' },
        { key: `decide-${i}`, act: 'decision', caseNo },
      );
      if (decided.status !== 200) throw new Error(`case ${caseNo}: decision ${decided.status} ${decided.body?.code}`);
      actsDone++;
      const paid = await twice(() =>
        client.call(
          'POST',
          `/api/cases/${caseNo}/payment`,
          tokens.window,
          { paymentRef: `PAY-${i}`, amountCents: FEE },
          { key: `pay-${i}`, act: 'payment', caseNo },
        ),
      );
      if (paid.status !== 200) throw new Error(`case ${caseNo}: payment ${paid.status} ${paid.body?.code}`);
      actsDone++;
      return caseNo;
    }

    const readiness: Record<string, () => Promise<void>> = {
      postgres: () => waitUntil('PostgreSQL to take queries', () => postgresServing(postgres.url), READY_MS),
      temporal: () => waitUntil('the Temporal frontend to serve', () => temporalServing(temporalAddress), READY_MS),
    };
    const faults: { part: string; at: string; actsDone: number; downMs: number; backMs: number }[] = [];
    /** kill -9, down for `downMs`, started again and seen serving. */
    async function fault(part: Killable, downMs: number): Promise<void> {
      say(`kill -9 ${part.name} (${actsDone} of ${CASES * ACTS_PER_CASE} acts done)`);
      const at = clock();
      const killed = Date.now();
      const done = actsDone;
      await part.kill();
      await sleep(downMs);
      await part.start();
      await readiness[part.name]?.();
      const backMs = Date.now() - killed;
      faults.push({ part: part.name, at, actsDone: done, downMs, backMs });
      say(`${part.name} ${part === postgres ? 'recovered from its WAL and' : 'restarted and'} serving again`);
    }
    say(`driving ${CASES} cases through their lifecycle (submit ×2 at once, 3 opinions, decision, payment ×2 at once)`);
    const load = Promise.allSettled(Array.from({ length: CASES }, (_, i) => lifecycle(i)));
    // Each fault strikes once the load has reached a share of its acts: cases are in flight at
    // every stage whatever the machine's speed. Bounded: a stalled load fails the tier.
    const plan: [Killable, number, number][] = [
      [worker, 3_000, 0.1],
      [api, 2_000, 0.3],
      [temporal, 5_000, 0.5],
      [postgres, 2_000, 0.7],
    ];
    const injector = (async () => {
      for (const [part, downMs, share] of plan) {
        const threshold = Math.round(share * CASES * ACTS_PER_CASE);
        await waitUntil(
          `${threshold} acts of the load done (stalled at ${actsDone})`,
          () => actsDone >= threshold,
          300_000,
        );
        await fault(part, downMs);
      }
    })();
    const [injected] = await Promise.allSettled([injector]);
    const outcomes = await load;
    check(
      'every fault injected under load and every part serving again',
      injected.status === 'fulfilled' && faults.length === plan.length,
      injected.status === 'rejected'
        ? String(injected.reason)
        : faults.map((f) => `${f.part} back in ${f.backMs} ms`).join(', '),
    );
    const failures = outcomes.filter((o) => o.status === 'rejected') as PromiseRejectedResult[];
    const caseNos = outcomes.flatMap((o) => (o.status === 'fulfilled' ? [o.value] : []));
    check(
      'every case driven to completion over HTTP',
      failures.length === 0 && caseNos.length === CASES,
      failures.length
        ? failures
            .slice(0, 3)
            .map((f) => String(f.reason))
            .join('; ')
        : `${caseNos.length} cases`,
    );
    const loadEndedAt = clock();

    // ------------------------------------------------------------ the receipt race
    // The order is made here, not left to timing: the opinion is received (and durably kept) before
    // FIRE's limit while Temporal is down; the API dies too, so nothing can apply the receipt until
    // the limit's timer has fired on Temporal's return (deemed consent); only then does an API come back.
    const timeline: string[] = [];
    const mark = (what: string) => {
      timeline.push(`${new Date().toISOString()}  ${what}`);
      say(`race: ${what}`);
    };
    const raceStartedAt = Date.now();
    const race = await client.call(
      'POST',
      '/api/cases',
      tokens.window,
      { matterCode: 'RACE', applicant: { name: '竞争申请人' }, materials: ['app'] },
      { key: 'race-submit', act: 'submit' },
    );
    const raceNo = race.body.caseNo as string;
    await client.call(
      'POST',
      `/api/cases/${raceNo}/opinions`,
      tokens.PLAN,
      { verdict: 'approve' },
      { key: 'race-plan', act: 'opinion', dept: 'PLAN', caseNo: raceNo },
    );
    const view = await client.call('GET', `/api/cases/${raceNo}`, tokens.PLAN);
    const dueAt = Date.parse(view.body.departments.find((d: { dept: string }) => d.dept === 'FIRE').dueAt);
    mark(
      `case ${raceNo} accepted; FIRE's limit ends ${new Date(dueAt).toISOString()} (demo clock, ${DAY_SECONDS} s days, ${RACE_REVIEW_DAYS} days to review)`,
    );
    const KILL_BEFORE_MS = 8_000;
    const SEND_BEFORE_MS = 6_000;
    if (dueAt - Date.now() < KILL_BEFORE_MS + 500)
      throw new Error(`race setup too slow: ${dueAt - Date.now()} ms left before FIRE's limit`);
    await sleep(dueAt - KILL_BEFORE_MS - Date.now());
    await temporal.kill();
    mark(`Temporal dev server killed (kill -9), ${KILL_BEFORE_MS / 1000} s before the limit`);
    await sleep(dueAt - SEND_BEFORE_MS - Date.now());
    const raceOpinion = {
      verdict: 'approve_with_conditions',
      conditions: ['竣工前完成消防验收'],
      fees: [{ item: '消防审核费', amountCents: 8_800 }],
    };
    mark(`FIRE sends its opinion (${SEND_BEFORE_MS / 1000} s before the limit), Idempotency-Key race-fire`);
    const sentAt = Date.now();
    const first = await fetch(`${apiBase}/api/cases/${raceNo}/opinions`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${tokens.FIRE}`,
        'content-type': 'application/json',
        'idempotency-key': 'race-fire',
      },
      body: JSON.stringify(raceOpinion),
      signal: AbortSignal.timeout(60_000),
    });
    const firstBody = (await first.json()) as { code?: string };
    mark(
      `API answered ${first.status} ${firstBody.code ?? ''} after ${Date.now() - sentAt} ms (Retry-After ${first.headers.get('retry-after')})`,
    );
    const watch = createDb(postgres.url, 1);
    try {
      const receipt = await watch
        .selectFrom('command_receipts')
        .select(['received_at'])
        .where('key', '=', 'race-fire')
        .executeTakeFirst();
      mark(`its receipt is in PostgreSQL: received ${receipt?.received_at.toISOString() ?? '— none!'}`);
      // The API goes down too: the act now lives only as its receipt in PostgreSQL.
      await api.kill();
      mark('API killed as well (kill -9): the opinion exists only as its durable receipt');
      await sleep(dueAt + 2_000 - Date.now());
      await temporal.start();
      await readiness.temporal!();
      mark("FIRE's limit has passed; Temporal dev server restarted and serving");
      const deemedSeq = async () =>
        (
          await watch
            .selectFrom('case_events')
            .select(['seq'])
            .where('case_no', '=', raceNo)
            .where('type', '=', 'opinion_deemed')
            .executeTakeFirst()
        )?.seq;
      await waitUntil(
        "the limit's timer to deem FIRE's consent",
        async () => (await deemedSeq()) !== undefined,
        READY_MS,
      );
      mark(`the limit's timer applied first: event ${await deemedSeq()} opinion_deemed (视为同意) for FIRE`);
      await api.start();
      mark('API restarted: its receipt applier sends the received opinion, judged as of its receipt');
      await waitUntil(
        'the received opinion to be applied',
        async () =>
          !!(await watch
            .selectFrom('case_events')
            .select(['seq'])
            .where('case_no', '=', raceNo)
            .where('type', '=', 'opinion_given')
            .where(({ ref, val, eb }) => eb(eb.fn('jsonb_extract_path_text', [ref('data'), val('dept')]), '=', 'FIRE'))
            .executeTakeFirst()),
        READY_MS,
      );
      mark('the receipt applier applied it');
    } finally {
      await watch.destroy();
    }
    const answered = await client.call('POST', `/api/cases/${raceNo}/opinions`, tokens.FIRE, raceOpinion, {
      key: 'race-fire',
      act: 'opinion',
      dept: 'FIRE',
      caseNo: raceNo,
    });
    mark(
      `FIRE retries with the same key: ${answered.status}${answered.headers.get('idempotent-replayed') ? ' (replayed: the outcome of its first attempt)' : ''}`,
    );
    const events = (await client.call('GET', `/api/cases/${raceNo}/events`, tokens.PLAN)).body as {
      seq: number;
      type: string;
      at: string;
      receivedAt?: string;
      effectiveAt?: string;
      data: any;
    }[];
    for (const e of events.filter((x) => x.seq > 4))
      timeline.push(
        `  event ${e.seq} ${e.type}${e.data?.dept ? ` ${e.data.dept}` : ''} at ${e.at}` +
          `${e.receivedAt ? `, receivedAt ${e.receivedAt}` : ''}${e.effectiveAt ? `, effectiveAt ${e.effectiveAt}` : ''}` +
          `${e.data?.supersedes ? `, supersedes event ${e.data.supersedes.seq} (${e.data.supersedes.type})` : ''}`,
      );
    const fireGiven = events.find((e) => e.type === 'opinion_given' && e.data.dept === 'FIRE');
    const decided = await client.call(
      'POST',
      `/api/cases/${raceNo}/decision`,
      tokens.PLAN,
      { decision: 'approve' },
      { key: 'race-decide', act: 'decision', caseNo: raceNo },
    );
    const raceView = decided.body;
    const fireTask = raceView?.departments?.find((d: { dept: string }) => d.dept === 'FIRE');
    timeline.push(
      `  decision: ${decided.status}, status ${raceView?.status}, fees ${raceView?.fees?.totalCents} fen, FIRE ${fireTask?.status} ${fireTask?.verdict}`,
    );
    const deemedEvent = events.find((e) => e.type === 'opinion_deemed' && e.data.dept === 'FIRE');
    check(
      'race: the deemed consent applied after the receipt is superseded by the opinion, which names it',
      !!deemedEvent && fireGiven?.data?.supersedes?.seq === deemedEvent.seq,
      deemedEvent
        ? `deemed event ${deemedEvent.seq}, superseded by event ${fireGiven?.seq}`
        : 'the opinion came first (no deemed consent)',
    );
    check(
      'race: the opinion sent before the limit while Temporal was down is recorded as given, with its receipt time',
      answered.status === 200 &&
        !!fireGiven &&
        !!fireGiven.receivedAt &&
        Date.parse(fireGiven.receivedAt) < dueAt &&
        fireTask?.status === 'given' &&
        fireTask?.verdict === 'approve_with_conditions',
      fireGiven
        ? `receivedAt ${fireGiven.receivedAt}, limit ${new Date(dueAt).toISOString()}`
        : 'no opinion_given for FIRE',
    );
    check(
      'race: the assessment follows the given opinion (its fee is on the payment notice)',
      raceView?.status === 'awaiting_payment' && raceView?.fees?.totalCents === 8_800,
      `status ${raceView?.status}, total ${raceView?.fees?.totalCents}`,
    );
    await client.call(
      'POST',
      `/api/cases/${raceNo}/payment`,
      tokens.window,
      { paymentRef: 'PAY-RACE', amountCents: 8_800 },
      {
        key: 'race-pay',
        act: 'payment',
        caseNo: raceNo,
      },
    );

    // ------------------------------------------------------------ the books
    const db = createDb(postgres.url, 2);
    try {
      // Every case a client was told exists, whether or not its lifecycle got through.
      const everyCase = [
        ...new Set([...caseNos, raceNo, ...client.acked.flatMap((a) => (a.caseNo ? [a.caseNo] : []))]),
      ];
      const rows = await db
        .selectFrom('case_events')
        .selectAll()
        .where('case_no', 'in', everyCase)
        .orderBy('case_no')
        .orderBy('seq')
        .execute();
      const byCase = new Map<string, typeof rows>();
      for (const r of rows) byCase.set(r.case_no, [...(byCase.get(r.case_no) ?? []), r]);
      const states = await db
        .selectFrom('cases')
        .select(['case_no', 'status', 'last_seq', 'state'])
        .where('case_no', 'in', everyCase)
        .execute();
      const stateOf = new Map(states.map((s) => [s.case_no, s]));
      let doubled = 0;
      let lost = 0;
      let gaps = 0;
      let driftingProjections = 0;
      for (const caseNo of everyCase) {
        const trail = byCase.get(caseNo) ?? [];
        if (trail.some((e, i) => e.seq !== i + 1)) gaps++;
        const count = (type: string, dept?: string) =>
          trail.filter((e) => e.type === type && (!dept || (e.data as { dept?: string }).dept === dept)).length;
        for (const type of ['submitted', 'accepted', 'decided', 'payment_confirmed', 'completed'])
          if (count(type) > 1) doubled++;
        for (const dept of ['PLAN', 'FIRE', 'ENV']) if (count('opinion_given', dept) > 1) doubled++;
        const projected = stateOf.get(caseNo);
        const folded = trail.length ? fold(trail.map(fromEventRow)) : undefined;
        if (
          !projected ||
          projected.last_seq !== trail.length ||
          !isDeepStrictEqual(JSON.parse(JSON.stringify(folded ?? null)), projected.state)
        )
          driftingProjections++;
      }
      const needs: Record<string, string> = { submit: 'submitted', decision: 'decided', payment: 'payment_confirmed' };
      for (const ack of client.acked) {
        const trail = ack.caseNo ? (byCase.get(ack.caseNo) ?? []) : [];
        const type = ack.act === 'opinion' ? 'opinion_given' : needs[ack.act]!;
        if (!trail.some((e) => e.type === type && (!ack.dept || (e.data as { dept?: string }).dept === ack.dept)))
          lost++;
      }
      // The department figures count FIRE's opinion as given on time, not deemed.
      const fireFigures = await db
        .selectFrom('case_tasks')
        .select(['status', 'deemed', 'late_working_days'])
        .where('case_no', '=', raceNo)
        .where('dept', '=', 'FIRE')
        .executeTakeFirst();
      check(
        "race: FIRE's figures count the opinion as given on time (not deemed, 0 late working days)",
        fireFigures?.status === 'given' && fireFigures.deemed === false && fireFigures.late_working_days === 0,
        JSON.stringify(fireFigures ?? null),
      );
      const completed = states.filter((s) => s.status === 'completed').length;
      check('every case completed', completed === everyCase.length, `${completed}/${everyCase.length} completed`);
      check(
        '0 acts lost: every act a client was told succeeded is in the event store',
        lost === 0,
        `${client.acked.length} acknowledged acts, lost ${lost}`,
      );
      check('0 events doubled', doubled === 0, `doubled ${doubled}`);
      // Stronger than counting: every case of the load went the same way, so each must have the same
      // events (by type and department), whatever the faults did to it — nothing missing, nothing twice.
      const signature = (caseNo: string) =>
        (byCase.get(caseNo) ?? [])
          .map((e) => `${e.type}${(e.data as { dept?: string }).dept ? `:${(e.data as { dept?: string }).dept}` : ''}`)
          .sort()
          .join(' ');
      const signatures = new Map<string, number>();
      for (const caseNo of caseNos) signatures.set(signature(caseNo), (signatures.get(signature(caseNo)) ?? 0) + 1);
      const [usual, alike] = [...signatures.entries()].sort((a, b) => b[1] - a[1])[0] ?? ['', 0];
      check(
        'every case of the load has the same events (none missing, none twice)',
        alike === caseNos.length && caseNos.length === CASES,
        `${alike}/${caseNos.length} cases with ${usual.split(' ').length} events: ${usual}`,
      );
      check('event sequences contiguous', gaps === 0, `${gaps} cases with gaps`);
      check('projections equal the events folded', driftingProjections === 0, `${driftingProjections} cases drift`);
      const numbers = (await db.selectFrom('case_requests').select('case_no').execute())
        .map((r) => Number(r.case_no.slice(-6)))
        .sort((a, b) => a - b);
      const contiguous = numbers.every((n, i) => n === i + 1);
      check(
        'no case number spent by a repeat or a retry (register without gaps, one case per key)',
        contiguous && numbers.length === CASES + 1,
        `${numbers.length} numbers for ${CASES + 1} submission keys, 1…${numbers[numbers.length - 1]}`,
      );

      // Every acknowledged request once more, with its key: replayed, nothing added.
      const before = rows.length;
      let replayedOk = 0;
      for (const ack of client.acked) {
        const again = await client.call(ack.method, ack.url, ack.token, ack.body, { key: ack.key });
        if (again.status === ack.status && again.headers.get('idempotent-replayed') === 'true') replayedOk++;
      }
      const after = Number(
        (
          await db
            .selectFrom('case_events')
            .select((eb) => eb.fn.countAll().as('n'))
            .where('case_no', 'in', everyCase)
            .executeTakeFirstOrThrow()
        ).n,
      );
      check(
        'retries with the same key double nothing (each replays its original answer)',
        replayedOk === client.acked.length && after === before,
        `${replayedOk}/${client.acked.length} replayed, events ${before} → ${after}`,
      );
      check('never a 500', client.internalErrors === 0, `${client.internalErrors} responses ≥ 500 other than 503`);

      const figures = {
        cases: everyCase.length,
        casesUnderLoad: caseNos.length,
        events: after,
        faults: faults.map((f) => ({ ...f, at: f.at.trim() })),
        supervisorRestarts: restarts,
        requests: client.requests,
        retried: client.retries,
        answered503: client.unavailable,
        connectionErrors: client.connectionErrors,
        acknowledgedActs: client.acked.length,
        lost,
        doubled,
        loadSeconds: Number(loadEndedAt.trim().replace(' s', '')),
        raceSeconds: Math.round((Date.now() - raceStartedAt) / 1000),
        timeline,
      };
      writeFileSync(path.join(RESULTS, 'faults-figures.json'), JSON.stringify(figures, null, 2));
      console.log('\nfault tier figures');
      console.log(
        `  cases              ${everyCase.length} (${caseNos.length} of ${CASES} under load completed their lifecycle + 1 race)`,
      );
      console.log(`  events             ${after}`);
      console.log(
        `  faults             ${faults.length} kill -9: ${faults.map((f) => `${f.part} at ${f.at.trim()} after ${f.actsDone} acts (down ${f.downMs / 1000} s, serving again after ${(f.backMs / 1000).toFixed(1)} s)`).join(', ')}`,
      );
      console.log(
        `  supervisor restarts worker ${restarts.worker}, api ${restarts.api} (processes that exited on their own)`,
      );
      console.log(
        `  requests           ${client.requests}, of which retried ${client.retries} (answers 503: ${client.unavailable}, no API to answer: ${client.connectionErrors})`,
      );
      console.log(`  acknowledged acts  ${client.acked.length}`);
      console.log(`  lost               ${lost}`);
      console.log(`  doubled            ${doubled}`);
      console.log(`  load with faults   ${figures.loadSeconds} s from the start; race ${figures.raceSeconds} s`);
      console.log('\nrace timeline');
      for (const line of timeline) console.log(`  ${line}`);
    } finally {
      await db.destroy();
    }

    // ------------------------------------------------------------ a lost workflow task
    const restartTemporal = async () => {
      await temporal.kill();
      await sleep(2_000);
      await temporal.start();
      await waitUntil('the Temporal frontend to serve', () => temporalServing(temporalAddress), READY_MS);
    };
    for (const variant of [
      { name: 'lost', label: 'lost task' },
      { name: 'lost-restart', label: 'lost task, Temporal restarted', restartTemporal },
    ])
      await lostWorkflowTask({
        apiBase,
        temporalAddress,
        taskQueue: TASK_QUEUE,
        databaseUrl: postgres.url,
        env,
        logs,
        worker,
        components,
        token,
        variant,
      });
  } catch (err) {
    failedToRun = err;
    console.error(err);
    for (const f of [
      'api.log',
      'worker.log',
      'lost-crashing-worker.log',
      'lost-restart-crashing-worker.log',
      'temporal.log',
    ])
      try {
        console.error(`--- ${f} (tail)\n${readFileSync(path.join(logs, f), 'utf8').split('\n').slice(-30).join('\n')}`);
      } catch {
        /* no log */
      }
  } finally {
    clearTimeout(watchdog);
    for (const c of components.reverse()) await c.stop().catch(() => undefined);
    if (failedToRun || checks.some((c) => !c.ok)) {
      const kept = path.join(RESULTS, 'faults-logs');
      rmSync(kept, { recursive: true, force: true });
      mkdirSync(RESULTS, { recursive: true });
      cpSync(logs, kept, { recursive: true });
      console.log(`logs of the failed run kept in ${kept}`);
    }
    rmSync(tmp, { recursive: true, force: true });
  }
  const failures = [
    ...checks.filter((c) => !c.ok).map((c) => failureLine(c.name, c.detail)),
    ...(failedToRun ? [failureLine('the run broke', String(failedToRun))] : []),
  ];
  const failed = failures.length;
  const passed = checks.filter((c) => c.ok).length;
  mkdirSync(RESULTS, { recursive: true });
  const result: TierResult = { passed, failed, failures };
  writeFileSync(path.join(RESULTS, 'faults.json'), JSON.stringify(result));
  console.log(`\nfaults: ${passed} passed, ${failed} failed in ${Math.round((Date.now() - t0) / 1000)} s`);
  process.exit(failed ? 1 : 0);
}

/**
 * A lost workflow task (issue 14, patch l14-local-append). Two workers serve the task queue; the one
 * holding a case (its sticky queue) dies by SIGKILL right after a local `appendEvents` committed a
 * batch, before the workflow task that decided it can complete (tests/faults/support/crashing-worker.ts).
 * Every department sends its opinion ten times at once, each time under its own key (so its own
 * Update), and once more while the task is lost; when the task times out (Temporal's default 10 s)
 * the surviving worker gets the Updates again, in any order, finds the lost task's events in the
 * store and must adopt them. What users see must hold: one opinion per department, answered 200 to
 * the very request whose opinion was recorded, the case deciding and then decided, the workflow's
 * state the projection's.
 */
async function lostWorkflowTask(sys: {
  apiBase: string;
  temporalAddress: string;
  taskQueue: string;
  databaseUrl: string;
  env: NodeJS.ProcessEnv;
  logs: string;
  worker: Killable;
  components: Killable[];
  token: (role: string, dept?: string) => string;
  /** What names this run's case, keys and checks; and a fault of Temporal itself while the task is lost. */
  variant: { name: string; label: string; restartTemporal?: () => Promise<void> };
}): Promise<void> {
  const { name: v, label } = sys.variant;
  const TIMES = 10;
  const DEPTS = ['PLAN', 'FIRE', 'ENV', 'WATER'] as const;
  type Dept = (typeof DEPTS)[number];
  const client = new Client(sys.apiBase);
  const admin = sys.token('admin');
  const catalog = [
    await client.call('PUT', '/api/departments/WATER', admin, { name: 'WATER' }),
    await client.call('PUT', '/api/matters/LOST', admin, {
      name: '丢失的工作流任务',
      leadDept: 'PLAN',
      coDepts: ['FIRE', 'ENV', 'WATER'],
      requiredMaterials: [{ code: 'app', name: '申请表' }],
      timeLimitDays: 60,
      deptReviewDays: 40,
      silencePolicy: 'deemed_approve',
      fees: [],
      paymentDays: 60,
    }),
  ];
  for (const put of catalog)
    if (put.status >= 300) throw new Error(`${label}: catalog ${put.status} ${JSON.stringify(put.body)}`);
  const tokens = Object.fromEntries(DEPTS.map((d) => [d, sys.token('department', d)])) as Record<Dept, string>;
  const scratch = path.dirname(sys.logs);
  const casesFile = path.join(scratch, `${v}-crash-cases.txt`);
  const reportFile = path.join(scratch, `${v}-crash-report.json`);
  const timeline: string[] = [];
  const mark = (what: string) => {
    timeline.push(`${new Date().toISOString()}  ${what}`);
    say(`${label}: ${what}`);
  };

  // Only the crashing worker at first, so that the case's first task makes it the case's sticky worker.
  await sys.worker.stop();
  const workerLogFile = path.join(sys.logs, 'worker.log');
  const workerLogFrom = readFileSync(workerLogFile, 'utf8').length;
  let crashedAt: number | undefined;
  const crashing: Killable = killableNode({
    name: 'crashing-worker',
    root: ROOT,
    entry: 'tests/faults/support/crashing-worker.ts',
    env: {
      ...sys.env,
      CRASH_AFTER_APPEND_CASES_FILE: casesFile,
      CRASH_REPORT_FILE: reportFile,
      // The batch that closes the review round: whichever task decides it, it holds one opinion or more.
      CRASH_ON_EVENT: 'review_completed',
      CRASH_HOLD_FIRST_MS: '1000',
    },
    logFile: path.join(sys.logs, `${v}-crashing-worker.log`),
    ready: () =>
      waitUntil(
        'the crashing worker to poll its task queue',
        () => workerPolling(sys.temporalAddress, sys.taskQueue, crashing.pid()),
        READY_MS,
        500,
      ),
    // It dies once, on purpose; never restarted.
    onRestart: () => {
      crashedAt = Date.now();
      void crashing.kill();
    },
  });
  sys.components.push(crashing);
  await crashing.start();
  mark(`the worker stopped; a crashing worker (pid ${crashing.pid()}, the same build) serves the task queue alone`);
  const submitted = await client.call(
    'POST',
    '/api/cases',
    sys.token('window', 'WIN'),
    { matterCode: 'LOST', applicant: { name: '失任务申请人' }, materials: ['app'] },
    { key: `${v}-submit` },
  );
  if (submitted.status !== 201) throw new Error(`${label}: submit ${submitted.status} ${submitted.body?.code}`);
  const caseNo = submitted.body.caseNo as string;
  writeFileSync(casesFile, caseNo);
  await sys.worker.start();
  mark(`case ${caseNo} submitted on the crashing worker; the other worker (pid ${sys.worker.pid()}) polls as well`);

  interface Sent {
    dept: Dept;
    key: string;
    comment: string;
    status?: number;
    code?: string;
    view?: { status?: string; departments?: { dept: string; status: string; comment: string | null }[] };
    error?: string;
  }
  const sent: Sent[] = [];
  const send = (dept: Dept, k: number) => {
    const entry: Sent = { dept, key: `${v}-op-${dept}-${k}`, comment: `${dept} 第${k}次` };
    sent.push(entry);
    return client
      .call(
        'POST',
        `/api/cases/${caseNo}/opinions`,
        tokens[dept],
        { verdict: 'approve', comment: entry.comment },
        {
          key: entry.key,
        },
      )
      .then(
        (a) => {
          Object.assign(entry, { status: a.status, code: a.body?.code, view: a.body });
        },
        (err: unknown) => {
          entry.error = String(err);
        },
      );
  };
  const first = DEPTS.flatMap((d) => Array.from({ length: TIMES }, (_, k) => send(d, k + 1)));
  mark(`${first.length} opinions sent at once (${DEPTS.join(', ')}, ${TIMES} times each, each under its own key)`);
  await waitUntil('the crashing worker to die after an append', () => crashedAt !== undefined, 120_000, 100);
  const report = JSON.parse(readFileSync(reportFile, 'utf8')) as {
    pid: number;
    afterSeq: number;
    events: { seq: number; type: string; data: { dept?: string; opinion?: { comment?: string } } }[];
    updateIds: (string | null)[];
  };
  const described = (e: (typeof report.events)[number]) =>
    `${e.seq} ${e.type}${e.data.dept ? ` ${e.data.dept} "${e.data.opinion?.comment ?? ''}"` : ''}`;
  mark(
    `the crashing worker (pid ${report.pid}) committed events ${report.events.map(described).join(', ')} after seq ${report.afterSeq} and was killed (SIGKILL) before its workflow task completed`,
  );
  if (sys.variant.restartTemporal) {
    // Temporal forgets the Updates it held in memory: the clients send them again, in their own order.
    await sys.variant.restartTemporal();
    mark('Temporal dev server killed (kill -9) and restarted while the task is lost');
  }
  // More of the same while the lost task's Updates wait for the task to time out.
  const later = DEPTS.map((d) => send(d, TIMES + 1));
  mark(`${later.length} more opinions sent while the task is lost`);
  await Promise.all([...first, ...later]);
  mark(`every opinion answered, the last ${((Date.now() - crashedAt!) / 1000).toFixed(1)} s after the crash`);

  const temporal = await Connection.connect({ address: sys.temporalAddress });
  const db = createDb(sys.databaseUrl, 2);
  try {
    const handle = new TemporalClient({ connection: temporal }).workflow.getHandle(caseNo);
    const rows = await db.selectFrom('case_events').selectAll().where('case_no', '=', caseNo).orderBy('seq').execute();
    const receipts = await db
      .selectFrom('command_receipts')
      .select(['id', 'key'])
      .where('case_no', '=', caseNo)
      .execute();
    const keyOfReceipt = new Map(receipts.map((r) => [r.id, r.key]));
    const stored = new Map(rows.map((r) => [r.seq, r]));
    const commentOf = (data: unknown) => (data as { opinion?: { comment?: string } }).opinion?.comment;
    const deptOf = (data: unknown) => (data as { dept?: string }).dept;

    // The lost task's batch is in the store as it committed it: adopted, not written again.
    const kept = report.events.every((e) => {
      const row = stored.get(e.seq);
      return (
        row?.type === e.type && deptOf(row.data) === e.data.dept && commentOf(row.data) === e.data.opinion?.comment
      );
    });
    check(
      `${label}: the worker died right after its append committed; the store keeps that batch as it was`,
      report.events.some((e) => e.type === 'opinion_given') && kept,
      report.events.map(described).join(', '),
    );
    const history = await handle.fetchHistory();
    const payload = (p: proto.api.common.v1.IPayload | null | undefined): unknown => {
      try {
        return p?.data ? JSON.parse(Buffer.from(p.data).toString('utf8')) : undefined;
      } catch {
        return undefined;
      }
    };
    const adoptions = (history.events ?? [])
      .map((e) => e.markerRecordedEventAttributes)
      .filter((a) => a?.markerName === 'core_local_activity')
      .map((a) => payload(a!.details?.['result']?.payloads?.[0]) as { adopted?: { events: { seq: number }[] } })
      .filter((r) => r?.adopted);
    const adoptedSeqs = adoptions.flatMap((r) => r.adopted!.events.map((e) => e.seq));
    const workerLog = readFileSync(workerLogFile, 'utf8').slice(workerLogFrom);
    const logged = workerLog.includes('events a lost workflow task recorded adopted from the event store');
    // What the SDKs said meanwhile (tasks refused or taken over: told, not judged).
    const crashingLog = readFileSync(path.join(sys.logs, `${v}-crashing-worker.log`), 'utf8');
    for (const [who, text] of [
      ['crashing', crashingLog],
      ['surviving', workerLog],
    ] as const) {
      const said = new Map<string, number>();
      for (const line of text.split('\n').filter((l) => /ERROR|not found when completing/.test(l))) {
        const what = line
          .replace(/\x1b\[[0-9;]*m/g, '')
          .replace(/^\S+\s+/, '')
          .replace(/\s*run_id=.*$/, '')
          .slice(0, 160);
        said.set(what, (said.get(what) ?? 0) + 1);
      }
      for (const [what, n] of said) mark(`${who} worker's SDK said ${n} time(s): ${what}`);
    }
    check(
      `${label}: the surviving worker adopted the lost task's events (its log, and the local activity's marker)`,
      logged && report.events.every((e) => adoptedSeqs.includes(e.seq)),
      `log line ${logged ? 'found' : 'missing'}; ${adoptions.length} adopting marker(s), seqs ${adoptedSeqs.join(',') || 'none'}`,
    );

    const opinions = rows.filter((r) => r.type === 'opinion_given');
    const perDept = DEPTS.map((d) => [d, opinions.filter((r) => deptOf(r.data) === d).length] as const);
    check(
      `${label}: every department has its opinion in the events exactly once`,
      perDept.every(([, n]) => n === 1) && rows.filter((r) => r.type === 'review_completed').length === 1,
      perDept.map(([d, n]) => `${d} ${n}`).join(', '),
    );
    const accepted = sent.filter((s) => s.status === 200);
    const refusedAsRepeats = sent.filter(
      (s) => s.status === 409 && (s.code === 'opinion_already_given' || s.code === 'case_not_in_review'),
    );
    const other = sent.filter((s) => s.status !== 200 && !refusedAsRepeats.includes(s));
    check(
      `${label}: one opinion per department answered 200, every other one refused as a repeat, never a 500`,
      DEPTS.every((d) => accepted.filter((s) => s.dept === d).length === 1) &&
        other.length === 0 &&
        client.internalErrors === 0,
      `${sent.length} sent: ${accepted.length} × 200, ${refusedAsRepeats.length} × 409` +
        (other.length
          ? `; other: ${other
              .slice(0, 4)
              .map((s) => `${s.key} ${s.status ?? s.error} ${s.code ?? ''}`)
              .join('; ')}`
          : ''),
    );
    // The 200 went to the very request whose opinion is recorded: its comment, its key (the Update
    // stored with the event), and its answer shows it given.
    const disagreements: string[] = [];
    for (const d of DEPTS) {
      const event = opinions.find((r) => deptOf(r.data) === d);
      const answered = accepted.filter((s) => s.dept === d);
      const recordedKey = event?.update_id ? keyOfReceipt.get(event.update_id) : undefined;
      const shown = answered[0]?.view?.departments?.find((t) => t.dept === d);
      if (
        !event ||
        answered.length !== 1 ||
        commentOf(event.data) !== answered[0]!.comment ||
        recordedKey !== answered[0]!.key ||
        shown?.status !== 'given' ||
        shown.comment !== answered[0]!.comment
      )
        disagreements.push(
          `${d}: recorded "${event ? commentOf(event.data) : '—'}" (key ${recordedKey ?? '?'}), answered 200 ${answered.map((s) => `"${s.comment}" (key ${s.key})`).join(', ') || 'none'}`,
        );
    }
    check(
      `${label}: the HTTP answers agree with the events (each 200 is the request whose opinion was recorded)`,
      disagreements.length === 0,
      disagreements.join('; ') || `${DEPTS.length} departments, each one 200 = its one event`,
    );

    const events = (await client.call('GET', `/api/cases/${caseNo}/events`, tokens.PLAN)).body as {
      seq: number;
      type: string;
      data: { dept?: string; opinion?: { comment?: string } };
    }[];
    const sameTrail =
      events.length === rows.length &&
      events.every(
        (e, i) => e.seq === i + 1 && e.type === rows[i]!.type && commentOf(e.data) === commentOf(rows[i]!.data),
      );
    const view = (await client.call('GET', `/api/cases/${caseNo}`, tokens.PLAN)).body as { status?: string };
    const projected = async () =>
      (await db.selectFrom('cases').select(['state']).where('case_no', '=', caseNo).executeTakeFirst())?.state;
    const json = (v: unknown) => JSON.parse(JSON.stringify(v ?? null)) as unknown;
    const deciding = json(await handle.query(stateQuery));
    check(
      `${label}: the case is deciding; the workflow's state equals the projection and the events folded`,
      view.status === 'deciding' &&
        sameTrail &&
        isDeepStrictEqual(deciding, await projected()) &&
        isDeepStrictEqual(deciding, json(fold(rows.map(fromEventRow)))),
      `status ${view.status}, ${events.length} events over HTTP (${sameTrail ? 'contiguous, as stored' : 'NOT as stored'}), ` +
        `workflow at seq ${(deciding as { seq?: number }).seq}, projection ${isDeepStrictEqual(deciding, await projected()) ? 'equal' : 'DIFFERS'}`,
    );

    const decided = await client.call(
      'POST',
      `/api/cases/${caseNo}/decision`,
      tokens.PLAN,
      { decision: 'approve' },
      { key: `${v}-decide` },
    );
    await waitUntil(
      "the case's workflow to close",
      async () => (await handle.describe()).status.name === 'COMPLETED',
      READY_MS,
      500,
    );
    const trail = await db
      .selectFrom('case_events')
      .select(['seq', 'type', 'data'])
      .where('case_no', '=', caseNo)
      .orderBy('seq')
      .execute();
    const count = (type: string) => trail.filter((e) => e.type === type).length;
    const decision = trail.find((e) => e.type === 'decided')?.data as { decision?: string } | undefined;
    const closed = json(await handle.query(stateQuery));
    check(
      `${label}: the lead's decision completes the case, once; the closed workflow's state equals the projection`,
      decided.status === 200 &&
        (decided.body as { status?: string }).status === 'completed' &&
        count('decided') === 1 &&
        count('completed') === 1 &&
        decision?.decision === 'approve' &&
        trail.every((e, i) => e.seq === i + 1) &&
        isDeepStrictEqual(closed, await projected()),
      `decision ${decided.status} → ${(decided.body as { status?: string })?.status}; decided ×${count('decided')}, completed ×${count('completed')}, ${trail.length} events`,
    );
    // Each opinion once more with its key: the answer first given, replayed; nothing added.
    let replayed = 0;
    for (const s of sent) {
      const again = await client.call(
        'POST',
        `/api/cases/${caseNo}/opinions`,
        tokens[s.dept],
        { verdict: 'approve', comment: s.comment },
        { key: s.key },
      );
      if (again.status === s.status && again.headers.get('idempotent-replayed') === 'true') replayed++;
    }
    const after = await db
      .selectFrom('case_events')
      .select((eb) => eb.fn.countAll().as('n'))
      .where('case_no', '=', caseNo)
      .executeTakeFirstOrThrow();
    check(
      `${label}: every opinion sent again with its key replays its first answer, adding nothing`,
      replayed === sent.length && Number(after.n) === trail.length,
      `${replayed}/${sent.length} replayed, events ${trail.length} → ${after.n}`,
    );
    mark(`decided and completed: ${trail.length} events, ${opinions.length} opinions`);
    console.log(`\n${label} timeline`);
    for (const line of timeline) console.log(`  ${line}`);
  } finally {
    await db.destroy();
    await temporal.close();
  }
}

async function createDatabase(port: number): Promise<void> {
  const client = new pg.Client({ connectionString: `postgres://postgres:postgres@127.0.0.1:${port}/postgres` });
  await client.connect();
  try {
    const found = await client.query("select 1 from pg_database where datname = 'joint_approval'");
    if (found.rowCount === 0) await client.query('create database joint_approval');
  } finally {
    await client.end();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
