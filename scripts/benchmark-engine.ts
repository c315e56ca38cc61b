/**
 * `npm run benchmark:engine`: the engine's efficiency, side by side with a bare Temporal baseline
 * doing the same engine work, in one run on the same servers (Temporal dev server in memory,
 * embedded PostgreSQL). See docs/benchmarks.md ("Engine") for what each figure means.
 *
 *   npm run benchmark:engine                           # the defaults below
 *   npm run benchmark:engine -- --skip memory,burst    # phases: throughput, latency, burst, memory, sweep (after memory)
 *   npm run benchmark:engine -- --runs 3 --cases 160 --burst 1000,10000 --open 5000,10000
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { appendFileSync, chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { Client, Connection, WithStartWorkflowOperation } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { DefaultLogger, Runtime, Worker } from '@temporalio/worker';
import { createSigner } from 'fast-jwt';
import { sql } from 'kysely';
import { createDb, type Db } from '../db';
import { migrateToLatest } from '../db/migrator';
import { resolveTimeModel } from '../db/repositories/calendars';
import { caseState } from '../db/repositories/cases';
import { holdBatch } from '../db/repositories/held-batches';
import { applyCommand } from '../domain/apply';
import { SYSTEM_ACTOR } from '../domain/types';
import { bundleCaseWorkflows } from '../worker/create-worker';
import { searchAttributeCliArgs } from '../workflows/search-attributes';
import type { BaselineEventRow } from './engine-bench/baseline-activities';
import { baselineStep } from './engine-bench/baseline-workflow';
import { freePort } from './infra/free-port';
import { startEmbeddedPostgres } from './infra/postgres';
import { waitForPort } from './infra/temporal-server';
import { ensureTemporalCli } from './infra/temporal-cli';

const { values: args } = parseArgs({
  options: {
    runs: { type: 'string', default: '3' },
    cases: { type: 'string', default: '160' },
    concurrency: { type: 'string', default: '16' },
    'latency-seconds': { type: 'string', default: '15' },
    burst: { type: 'string', default: '1000' },
    open: { type: 'string', default: '5000,10000' },
    skip: { type: 'string', default: '' },
    json: { type: 'string' },
  },
});
const RUNS = Number(args.runs);
const CASES = Number(args.cases);
const C = Number(args.concurrency);
const LATENCY_SECONDS = Number(args['latency-seconds']);
const BURSTS = args.burst.split(',').filter(Boolean).map(Number);
const OPEN_MARKS = args.open
  .split(',')
  .filter(Boolean)
  .map(Number)
  .sort((a, b) => a - b);
const SKIP = new Set(args.skip.split(',').filter(Boolean));

const ROOT = path.resolve(__dirname, '..');
const LOG_DIR = path.join(ROOT, '.tools', 'engine-bench');
const JWT_SECRET = 'engine-benchmark-secret-0123456789abcdef';
const TASK_QUEUE = 'joint-approval';
const BASELINE_QUEUE = 'engine-baseline';
const DEPTS = { lead: 'PLAN', co: ['FIRE', 'ENV'] } as const;
const log = (m: string) => console.log(`[${new Date().toISOString().slice(11, 19)}] ${m}`);

// -------------------------------------------------------------------------------------------------
// Processes: each measured on its own from /proc (CPU ticks, RSS); ours also count their SQL.

const CLK_TCK = 100; // Linux USER_HZ

class Proc {
  readonly exited: Promise<void>;
  private output = '';
  constructor(
    readonly name: string,
    readonly child: ChildProcess,
  ) {
    started.push(child);
    this.exited = new Promise((resolve) => child.once('exit', () => resolve()));
    child.stdout?.on('data', (d: Buffer) => (this.output = (this.output + d.toString()).slice(-20_000)));
    // The processes' own logs go to .tools/engine-bench/<name>.log; shown when one dies.
    const logFile = path.join(LOG_DIR, `${name}.log`);
    writeFileSync(logFile, '');
    child.stderr?.on('data', (d: Buffer) => appendFileSync(logFile, d));
    child.once('exit', (code, signal) => {
      if (!this.stopping) log(`${name} exited (${code ?? signal}); its log: ${logFile}`);
    });
  }
  private stopping = false;
  get pid(): number {
    return this.child.pid!;
  }
  /** User + system CPU time in ms since the process started. */
  cpuMs(): number {
    const stat = readFileSync(`/proc/${this.pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLK_TCK;
  }
  rssMiB(): number {
    const status = readFileSync(`/proc/${this.pid}/status`, 'utf8');
    return Number(/VmRSS:\s+(\d+)/.exec(status)![1]) / 1024;
  }
  async sqlStatements(): Promise<number> {
    return new Promise((resolve) => {
      const onMessage = (m: { type?: string; statements?: number }) => {
        if (m?.type !== 'sql') return;
        this.child.off('message', onMessage);
        resolve(m.statements!);
      };
      this.child.on('message', onMessage);
      this.child.send({ type: 'sql?' });
    });
  }
  /** The lines of its recent output (the last 20 KB) that contain `text`. */
  outputLines(text: string): string[] {
    return this.output.split('\n').filter((l) => l.includes(text));
  }
  async waitForOutput(text: string, timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!this.output.includes(text)) {
      if (Date.now() > deadline || this.child.exitCode !== null) throw new Error(`${this.name}: no "${text}"`);
      await sleep(200);
    }
  }
  async stop(): Promise<void> {
    this.stopping = true;
    // The IPC channel (the statement counts) would keep it alive after a graceful shutdown.
    if (this.child.connected) this.child.disconnect();
    if (this.child.exitCode === null) this.child.kill('SIGTERM');
    await Promise.race([this.exited, sleep(15_000)]);
    if (this.child.exitCode === null) this.child.kill('SIGKILL');
  }
}

/** Whatever happens to this process, the servers and workers it started go with it. */
const started: ChildProcess[] = [];
process.once('exit', () => {
  for (const child of started) if (child.exitCode === null) child.kill('SIGKILL');
});

function nodeProcess(name: string, script: string, env: Record<string, string>): Proc {
  const child = spawn(
    process.execPath,
    [
      // ENGINE_BENCH_CPU_PROF=<dir>: each process writes a V8 CPU profile there when it exits (to find the cost).
      ...(process.env.ENGINE_BENCH_CPU_PROF
        ? ['--cpu-prof', `--cpu-prof-dir=${path.join(process.env.ENGINE_BENCH_CPU_PROF, name)}`]
        : []),
      '--require',
      path.join(ROOT, 'scripts/engine-bench/count-sql.cjs'),
      '--import',
      'tsx',
      path.join(ROOT, script),
    ],
    { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe', 'ipc'] },
  );
  return new Proc(name, child);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const loadavg = () =>
  os
    .loadavg()
    .map((x) => x.toFixed(2))
    .join(' ');

// -------------------------------------------------------------------------------------------------
// Statistics

const median = (xs: number[]) => quantile(xs, 0.5);
function quantile(xs: number[], q: number): number {
  if (!xs.length) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))]!;
}
const fmt = (x: number, d = 1) => (Number.isFinite(x) ? x.toFixed(d) : '–');
const spread = (xs: number[], d = 1) => `${fmt(median(xs), d)} (${fmt(Math.min(...xs), d)}–${fmt(Math.max(...xs), d)})`;
const ratio = (a: number, b: number) => (Number.isFinite(a / b) ? (a / b).toFixed(2) : '–');

// -------------------------------------------------------------------------------------------------
// The two ways of running a simple case: through our HTTP API, and the bare engine baseline.

interface Driver {
  name: string;
  /** One whole case; calls `opinion(ms)` for each opinion round trip. Resolves when completed. */
  runCase(i: number, opinion?: (ms: number) => void): Promise<string>;
}

type Json = Record<string, unknown>;

function httpCaller(baseUrl: string) {
  const sign = createSigner({ key: JWT_SECRET, algorithm: 'HS256', expiresIn: 3_600_000 });
  const tokens = new Map<string, { token: string; at: number }>();
  const token = (role: string, dept?: string) => {
    const key = `${role}/${dept ?? ''}`;
    const cached = tokens.get(key);
    if (cached && Date.now() - cached.at < 600_000) return cached.token;
    const fresh = sign({ sub: `bench-${role}-${dept ?? 'x'}`, name: 'bench', role, ...(dept ? { dept } : {}) });
    tokens.set(key, { token: fresh, at: Date.now() });
    return fresh;
  };
  return async function call(
    method: string,
    url: string,
    body: unknown,
    role: string,
    dept?: string,
  ): Promise<{ status: number; body: Json }> {
    const res = await fetch(`${baseUrl}${url}`, {
      method,
      headers: { authorization: `Bearer ${token(role, dept)}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, body: text ? (JSON.parse(text) as Json) : {} };
  };
}

async function seedCatalog(call: ReturnType<typeof httpCaller>): Promise<void> {
  const must = (r: { status: number; body: Json }, what: string) => {
    if (r.status >= 300) throw new Error(`${what}: ${r.status} ${JSON.stringify(r.body)}`);
  };
  for (const [code, name] of [
    ['WIN', '综合受理窗口'],
    ['PLAN', '规划局'],
    ['FIRE', '消防救援支队'],
    ['ENV', '生态环境局'],
  ] as const)
    must(await call('PUT', `/api/departments/${code}`, { name }, 'admin'), `department ${code}`);
  const matter = (name: string, deptReviewDays: number) => ({
    name,
    leadDept: DEPTS.lead,
    coDepts: DEPTS.co,
    requiredMaterials: [{ code: 'app', name: '申请表' }],
    timeLimitDays: 10,
    deptReviewDays,
    warnDays: 2,
    silencePolicy: 'deemed_approve',
    fees: [],
  });
  must(await call('PUT', '/api/matters/BENCH', matter('基准事项', 7), 'admin'), 'matter BENCH');
  // For the timer bursts: each department's limit is the end of the next (demo) day.
  must(await call('PUT', '/api/matters/BURST', matter('定时器事项', 1), 'admin'), 'matter BURST');
}

function systemDriver(baseUrl: string): Driver & { submit(matter: string): Promise<string> } {
  const call = httpCaller(baseUrl);
  const ok = (r: { status: number; body: Json }, what: string) => {
    if (r.status >= 300) throw new Error(`${what}: ${r.status} ${JSON.stringify(r.body)}`);
    return r.body;
  };
  const submit = async (matter: string) =>
    ok(
      await call(
        'POST',
        '/api/cases',
        { matterCode: matter, applicant: { name: '基准' }, materials: ['app'] },
        'window',
        'WIN',
      ),
      'submit',
    ).caseNo as string;
  return {
    name: 'system',
    submit,
    async runCase(_i, opinion) {
      const caseNo = await submit('BENCH');
      for (const dept of [...DEPTS.co, DEPTS.lead]) {
        const t0 = performance.now();
        ok(await call('POST', `/api/cases/${caseNo}/opinions`, { verdict: 'approve' }, 'department', dept), 'opinion');
        opinion?.(performance.now() - t0);
      }
      const done = ok(
        await call('POST', `/api/cases/${caseNo}/decision`, { decision: 'approve' }, 'department', DEPTS.lead),
        'decision',
      );
      if (done.status !== 'completed') throw new Error(`case ${caseNo} ended ${String(done.status)}`);
      return caseNo;
    },
  };
}

/** The same events a system case wrote, step by step, re-addressed to a baseline case. */
function baselineDriver(client: Client, template: BaselineEventRow[][], runId: string): Driver {
  return {
    name: 'baseline',
    async runCase(i, opinion) {
      const caseNo = `BL-${runId}-${i}`;
      const step = (n: number) => template[n]!.map((e) => ({ ...e, case_no: caseNo }));
      await client.workflow.executeUpdateWithStart(baselineStep, {
        args: [step(0)],
        startWorkflowOperation: new WithStartWorkflowOperation('baselineCase', {
          workflowId: caseNo,
          taskQueue: BASELINE_QUEUE,
          args: [template.length],
          workflowIdConflictPolicy: 'USE_EXISTING',
        }),
      });
      const handle = client.workflow.getHandle(caseNo);
      for (let n = 1; n < template.length; n++) {
        const t0 = performance.now();
        await handle.executeUpdate(baselineStep, { args: [step(n)] });
        if (n < template.length - 1) opinion?.(performance.now() - t0);
      }
      return caseNo;
    },
  };
}

// -------------------------------------------------------------------------------------------------

interface Measured {
  rate: number[];
  cpu: { temporal: number[]; worker: number[]; api: number[] };
  sqlApi: number[];
  sqlWorker: number[];
  opinions: number[];
}
const emptyMeasured = (): Measured => ({
  rate: [],
  cpu: { temporal: [], worker: [], api: [] },
  sqlApi: [],
  sqlWorker: [],
  opinions: [],
});

async function closedLoop(driver: Driver, cases: number, concurrency: number, offset: number): Promise<number> {
  let next = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < cases) await driver.runCase(offset + next++);
    }),
  );
  return cases / ((performance.now() - t0) / 1000);
}

async function openLoop(driver: Driver, perSecond: number, seconds: number, offset: number, into: number[]) {
  const running: Promise<unknown>[] = [];
  const t0 = performance.now();
  const total = Math.round(perSecond * seconds);
  for (let i = 0; i < total; i++) {
    const due = t0 + (i * 1000) / perSecond;
    const wait = due - performance.now();
    if (wait > 0) await sleep(wait);
    running.push(driver.runCase(offset + i, (ms) => into.push(ms)));
  }
  await Promise.all(running);
}

async function main(): Promise<void> {
  const started = Date.now();
  log(`engine benchmark; load average ${loadavg()} (${os.cpus().length} cores)`);
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'ja-engine-'));
  chmodSync(tmp, 0o755); // the embedded server runs as the unprivileged postgres user
  const procs: Proc[] = [];
  let pgStop: (() => Promise<void>) | undefined;
  const cleanup = async () => {
    for (const p of procs.reverse()) await p.stop();
    await pgStop?.();
    rmSync(tmp, { recursive: true, force: true });
  };
  process.once('SIGINT', () => void cleanup().then(() => process.exit(130)));
  try {
    const pg = await startEmbeddedPostgres({
      dataDir: path.join(tmp, 'pg'),
      port: await freePort(),
      database: 'joint_approval',
      persistent: false,
    });
    pgStop = pg.stop;
    const db = createDb(pg.url, 4);
    await migrateToLatest(db);

    const cli = ensureTemporalCli(log);
    if (!cli) throw new Error('the engine benchmark needs the Temporal CLI (Go or TEMPORAL_CLI_PATH)');
    const temporalPort = await freePort();
    const temporalServer = new Proc(
      'temporal',
      spawn(
        cli,
        [
          'server',
          'start-dev',
          '--headless',
          '--ip',
          '127.0.0.1',
          '--port',
          String(temporalPort),
          '--http-port',
          String(await freePort()),
          '--metrics-port',
          String(await freePort()),
          '--log-level',
          'error',
          ...searchAttributeCliArgs(),
        ],
        { stdio: ['ignore', 'pipe', 'pipe'] },
      ),
    );
    procs.push(temporalServer);
    const temporalAddress = `127.0.0.1:${temporalPort}`;
    await waitForPort('127.0.0.1', temporalPort, 60_000);

    const env = {
      NODE_ENV: 'production',
      JWT_SECRET,
      DATABASE_URL: pg.url,
      TEMPORAL_ADDRESS: temporalAddress,
      TEMPORAL_TASK_QUEUE: TASK_QUEUE,
      LOG_LEVEL: 'info',
      HOST: '127.0.0.1',
    };
    const worker = nodeProcess('worker', 'worker/main.ts', env);
    procs.push(worker);
    const baselineWorker = nodeProcess('baseline-worker', 'scripts/engine-bench/baseline-worker.ts', {
      ...env,
      TEMPORAL_TASK_QUEUE: BASELINE_QUEUE,
    });
    procs.push(baselineWorker);
    const apiPort = await freePort();
    const api = nodeProcess('api', 'api/main.ts', { ...env, PORT: String(apiPort), LOG_LEVEL: 'warn' });
    procs.push(api);
    await Promise.all([
      worker.waitForOutput('worker started', 180_000),
      baselineWorker.waitForOutput('baseline worker started', 180_000),
      waitForPort('127.0.0.1', apiPort, 120_000),
    ]);
    const baseUrl = `http://127.0.0.1:${apiPort}`;
    const call = httpCaller(baseUrl);
    await seedCatalog(call);
    const connection = await Connection.connect({ address: temporalAddress });
    const client = new Client({ connection });
    const system = systemDriver(baseUrl);
    log(`servers up (${((Date.now() - started) / 1000).toFixed(0)} s); load ${loadavg()}`);

    // Warm-up, and the template of events the baseline inserts: those of one system case, per step.
    const firstCase = await system.runCase(0);
    const template = await eventTemplate(db, firstCase);
    const baseline = baselineDriver(client, template, 'w');
    await closedLoop(system, 2 * C, C, 0);
    await closedLoop(baseline, 2 * C, C, 0);
    const warm = { system: firstCase, baseline: 'BL-w-0' };

    const results = { system: emptyMeasured(), baseline: emptyMeasured() };
    const loads: string[] = [];
    if (!SKIP.has('throughput')) {
      for (let run = 0; run < RUNS; run++) {
        for (const [key, driver] of [
          ['system', system],
          ['baseline', baselineDriver(client, template, `r${run}`)],
        ] as const) {
          const workerProc = key === 'system' ? worker : baselineWorker;
          const before = {
            t: temporalServer.cpuMs(),
            w: workerProc.cpuMs(),
            a: api.cpuMs(),
            sa: await api.sqlStatements(),
            sw: await workerProc.sqlStatements(),
          };
          const rate = await closedLoop(driver, CASES, C, 1000 + run * CASES);
          const r = results[key];
          r.rate.push(rate);
          r.cpu.temporal.push((temporalServer.cpuMs() - before.t) / CASES);
          r.cpu.worker.push((workerProc.cpuMs() - before.w) / CASES);
          if (key === 'system') {
            r.cpu.api.push((api.cpuMs() - before.a) / CASES);
            r.sqlApi.push(((await api.sqlStatements()) - before.sa) / CASES);
          }
          r.sqlWorker.push(((await workerProc.sqlStatements()) - before.sw) / CASES);
          log(`throughput run ${run + 1} ${key}: ${rate.toFixed(1)} cases/s; load ${loadavg()}`);
        }
        loads.push(loadavg());
      }
    }

    let halfLoad = NaN;
    if (!SKIP.has('latency')) {
      halfLoad = (median(results.baseline.rate.length ? results.baseline.rate : [20]) || 20) / 2;
      for (let run = 0; run < RUNS; run++) {
        for (const [key, driver] of [
          ['system', system],
          ['baseline', baselineDriver(client, template, `l${run}`)],
        ] as const) {
          await openLoop(driver, halfLoad, LATENCY_SECONDS, 100_000 + run * 10_000, results[key].opinions);
          log(`latency run ${run + 1} ${key}: ${results[key].opinions.length} opinions so far; load ${loadavg()}`);
        }
      }
    }

    // History and SQL per event batch of a completed case of each.
    const histories = {
      system: await historyFigures(client, warm.system),
      baseline: await historyFigures(client, warm.baseline),
    };
    const batches = {
      system: template.length,
      baseline: template.length,
    };

    // Timer burst: BURST_CASES silent cases whose department limits all end on one demo-day boundary.
    const bundle = await bundleCaseWorkflows(quietLogger);
    // A submission is about a quarter of a whole case's work; be pessimistic about the shared machine.
    const submitRate = 2 * (median(results.system.rate) || 5);
    const bursts: BurstResult[] = [];
    if (!SKIP.has('burst'))
      for (const cases of BURSTS)
        bursts.push(await timerBurst({ db, env, procs, cases, worker, temporalServer, submitRate }));
    let memory: MemoryResult | undefined;
    if (!SKIP.has('memory') && OPEN_MARKS.length)
      memory = await openCasesMemory({ db, worker, driver: system, marks: OPEN_MARKS });
    // The sweeper alone at the scale of a big day: every open case's department limits due at once.
    let bigDay: BigDayResult | undefined;
    if (!SKIP.has('sweep') && memory) bigDay = await sweepBigDay(db, worker);

    // Replay cost of an evicted case: what the worker redoes when a case it no longer caches gets a task.
    const openCase = bursts[0]?.sampleCase ?? (await system.submit('BENCH'));
    const replay = {
      open: await replayCost(client, bundle, openCase),
      completed: await replayCost(client, bundle, warm.system),
    };

    const s = results.system;
    const b = results.baseline;
    const out: string[] = [];
    out.push('');
    out.push(
      `Engine benchmark — ${new Date(started).toISOString()}; ${os.cpus().length} cores; ` +
        `load average at start/end of runs: ${loads[0] ?? '–'} / ${loadavg()}`,
    );
    out.push(`C=${C}, ${CASES} cases per run, ${RUNS} interleaved runs; figures are median (min–max) over the runs.`);
    out.push('');
    out.push('| figure | system | bare baseline | ratio |');
    out.push('|---|---|---|---|');
    out.push(
      `| complete cases/s, C=${C} | ${spread(s.rate)} | ${spread(b.rate)} | **${ratio(median(s.rate), median(b.rate))}** |`,
    );
    const p = (xs: number[], q: number) => quantile(xs, q);
    out.push(
      `| opinion round trip at ${fmt(halfLoad)} cases/s (half the baseline's), p50 / p99 ms | ` +
        `${fmt(p(s.opinions, 0.5), 0)} / ${fmt(p(s.opinions, 0.99), 0)} | ${fmt(p(b.opinions, 0.5), 0)} / ${fmt(p(b.opinions, 0.99), 0)} | ` +
        `${ratio(p(s.opinions, 0.5), p(b.opinions, 0.5))} / ${ratio(p(s.opinions, 0.99), p(b.opinions, 0.99))} |`,
    );
    out.push(
      `| CPU ms per case: Temporal server / worker / API | ${spread(s.cpu.temporal)} / ${spread(s.cpu.worker)} / ${spread(s.cpu.api)} | ` +
        `${spread(b.cpu.temporal)} / ${spread(b.cpu.worker)} / – | ` +
        `${ratio(median(s.cpu.temporal), median(b.cpu.temporal))} / ${ratio(median(s.cpu.worker), median(b.cpu.worker))} / – |`,
    );
    out.push(
      `| history per completed case | ${histories.system.events} events, ${fmt(histories.system.bytes / 1024)} KB | ` +
        `${histories.baseline.events} events, ${fmt(histories.baseline.bytes / 1024)} KB | ${ratio(histories.system.bytes, histories.baseline.bytes)}× bytes |`,
    );
    const sqlCase = median(s.sqlApi) + median(s.sqlWorker);
    out.push(
      `| SQL statements per case (API + worker) | ${fmt(sqlCase)} (${fmt(median(s.sqlApi))} + ${fmt(median(s.sqlWorker))}) | ` +
        `${fmt(median(b.sqlWorker))} | ${ratio(sqlCase, median(b.sqlWorker))}× |`,
    );
    out.push(
      `| SQL statements per event batch (worker) | ${fmt(median(s.sqlWorker) / batches.system)} (${batches.system} batches) | ` +
        `${fmt(median(b.sqlWorker) / batches.baseline)} | ${ratio(median(s.sqlWorker) / batches.system, median(b.sqlWorker) / batches.baseline)}× |`,
    );
    for (const r of bursts) out.push(burstRow(r));
    if (bigDay)
      out.push(
        `| sweeper alone: ${bigDay.cases} open cases' ${bigDay.limits} department limits held for one boundary | ` +
          `written p50 ${fmt(bigDay.p50 / 1000, 2)} s / p99 ${fmt(bigDay.p99 / 1000, 2)} s / max ${fmt(bigDay.max / 1000, 2)} s after due; ` +
          `${fmt(bigDay.perSecond, 0)} cases/s; worker CPU ${fmt(bigDay.workerCpu / 1000, 1)} s; load ${bigDay.load} | | |`,
      );
    if (memory) {
      out.push(
        memory.openBefore
          ? `| worker RSS as the memory phase began (${memory.openBefore} open cases) | ${fmt(memory.idle, 0)} MiB | | |`
          : `| worker RSS idle | ${fmt(memory.idle, 0)} MiB | | |`,
      );
      for (const m of memory.marks)
        out.push(`| worker RSS with ${m.open} open cases | ${fmt(m.rss, 0)} MiB (load ${m.load}) | | |`);
    }
    out.push(
      `| replay of an evicted case: open (${replay.open.events} events) / completed (${replay.completed.events} events) | ` +
        `${fmt(replay.open.ms, 2)} / ${fmt(replay.completed.ms, 2)} ms | | |`,
    );
    out.push('');
    out.push(`load average (1/5/15 min) after each throughput round: ${loads.join(' | ')}`);
    out.push(`total ${((Date.now() - started) / 1000).toFixed(0)} s`);
    console.log(out.join('\n'));
    if (args.json)
      writeFileSync(
        args.json,
        JSON.stringify({ results, histories, bursts, memory, replay, loads, halfLoad }, null, 2),
      );
    await connection.close();
    await db.destroy();
  } finally {
    await cleanup();
  }
}

const quietLogger = {
  log: () => undefined,
  trace: () => undefined,
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: (m: string) => console.error(m),
};

/** The events of a case grouped by the transaction that wrote them (one recorded_at per batch). */
async function eventTemplate(db: Db, caseNo: string): Promise<BaselineEventRow[][]> {
  const rows = await sql<BaselineEventRow & { recorded_at: Date; occurred: Date; jsondata: unknown }>`
    select case_no, seq, type, data as jsondata, actor_sub, actor_role, actor_dept, occurred_at as occurred, recorded_at
    from case_events where case_no = ${caseNo} order by seq`.execute(db);
  const batches = new Map<number, BaselineEventRow[]>();
  for (const r of rows.rows) {
    const key = r.recorded_at.getTime();
    if (!batches.has(key)) batches.set(key, []);
    batches.get(key)!.push({
      case_no: r.case_no,
      seq: r.seq,
      type: r.type,
      data: JSON.stringify(r.jsondata),
      actor_sub: r.actor_sub,
      actor_role: r.actor_role,
      actor_dept: r.actor_dept,
      occurred_at: r.occurred.toISOString(),
    });
  }
  return [...batches.values()];
}

async function historyFigures(client: Client, workflowId: string): Promise<{ events: number; bytes: number }> {
  const history = await client.workflow.getHandle(workflowId).fetchHistory();
  return {
    events: history.events?.length ?? 0,
    bytes: temporal.api.history.v1.History.encode(history).finish().length,
  };
}

async function replayCost(
  client: Client,
  bundle: { code: string },
  workflowId: string,
): Promise<{ ms: number; events: number }> {
  const history = await client.workflow.getHandle(workflowId).fetchHistory();
  const n = 40;
  const replays = async (count: number) => {
    const t0 = performance.now();
    async function* many() {
      for (let i = 0; i < count; i++) yield { workflowId: `${workflowId}-${i}`, history };
    }
    for await (const r of Worker.runReplayHistories({ workflowBundle: bundle }, many())) if (r.error) throw r.error;
    return performance.now() - t0;
  };
  await replays(5); // warm-up
  // Per replay, net of the replay worker's own start-up (measured with a single replay).
  const one = await replays(1);
  const total = await replays(n + 1);
  return { ms: (total - one) / n, events: history.events?.length ?? 0 };
}

// -------------------------------------------------------------------------------------------------
// Timer bursts: many silent cases whose department limits end on the same demo-day boundary.

interface BurstResult {
  cases: number;
  deadlines: number;
  onBoundary: number;
  written: number;
  lateness: { p50: number; p99: number; max: number };
  drainPerSecond: number;
  cpu: { temporal: number; worker: number };
  sampleCase: string;
  dayMs: number;
  submitPerSecond: number;
  load: string;
  /** The worker's sweeps of held batches from the boundary on (its log): batches recorded, and how long it took. */
  sweeps: { recorded: number; ms: number }[];
  /** CPU ms of Temporal and the worker from the boundary until every limit was written, and that wall time. */
  drainCpu: { temporal: number; worker: number; wall: number };
}

/** What the worker's held-batch sweeper logged (pino JSON lines) from `since` on. */
function sweepsSince(worker: Proc, since: number): { recorded: number; ms: number }[] {
  return worker
    .outputLines('held batches recorded at their deadline')
    .flatMap((line) => {
      try {
        return [JSON.parse(line) as { time: number; recorded: number; ms: number }];
      } catch {
        return [];
      }
    })
    .filter((l) => l.time >= since)
    .map(({ recorded, ms }) => ({ recorded, ms }));
}

function burstRow(r: BurstResult): string {
  return (
    `| timer burst: ${r.cases} silent cases, ${r.onBoundary} of ${r.deadlines} department limits on one boundary (day ${r.dayMs / 1000} s) | ` +
    `overdue written p50 ${fmt(r.lateness.p50 / 1000, 2)} s / p99 ${fmt(r.lateness.p99 / 1000, 2)} s / max ${fmt(r.lateness.max / 1000, 2)} s after due; ` +
    `drain ${fmt(r.drainPerSecond, 0)} limits/s (${fmt(r.drainPerSecond / 3, 0)} cases/s); ` +
    `CPU s Temporal/worker ${fmt(r.cpu.temporal / 1000)} / ${fmt(r.cpu.worker / 1000)}; ` +
    `from the boundary until all written: ${fmt(r.drainCpu.wall / 1000, 2)} s, CPU s Temporal/worker ${fmt(r.drainCpu.temporal / 1000, 2)} / ${fmt(r.drainCpu.worker / 1000, 2)}; ` +
    `sweeper: ${r.sweeps.map((w) => `${w.recorded} batches in ${fmt(w.ms / 1000, 2)} s`).join(', ') || 'none'}; load ${r.load} | | |`
  );
}

async function startDemoApi(env: Record<string, string>, procs: Proc[], dayMs: number, epochMs: number) {
  const port = await freePort();
  const api = nodeProcess('demo-api', 'api/main.ts', {
    ...env,
    PORT: String(port),
    LOG_LEVEL: 'warn',
    DEMO_DAY_SECONDS: String(dayMs / 1000),
    DEMO_EPOCH_MS: String(epochMs),
  });
  procs.push(api);
  await waitForPort('127.0.0.1', port, 120_000);
  return { api, driver: systemDriver(`http://127.0.0.1:${port}`) };
}

let failedSubmissions = 0;

async function submitMany(
  driver: ReturnType<typeof systemDriver>,
  n: number,
  concurrency: number,
  matter: string,
  onProgress?: (submitted: number) => Promise<void> | void,
): Promise<string[]> {
  const cases: string[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < n) {
        next++;
        // On a loaded machine a submission may fail (e.g. 500 on a timeout): count it, go on.
        try {
          cases.push(await driver.submit(matter));
        } catch (err) {
          failedSubmissions++;
          log(`submission failed (${failedSubmissions} so far): ${String(err).slice(0, 200)}`);
          continue;
        }
        await onProgress?.(cases.length);
      }
    }),
  );
  return cases;
}

async function measureBurst(opts: {
  db: Db;
  cases: string[];
  dayMs: number;
  boundary: number;
  worker: Proc;
  temporalServer: Proc;
  submitPerSecond: number;
}): Promise<BurstResult> {
  const { db, cases } = opts;
  const deadlines = cases.length * 3;
  // Wait for the boundary, then until every limit is written (or give up after a generous while).
  const cpu0 = { t: opts.temporalServer.cpuMs(), w: opts.worker.cpuMs() };
  const giveUp = opts.boundary + Math.max(120_000, deadlines * 20);
  let written = 0;
  // CPU from just before the boundary until the last limit is written: what recording them costs.
  await sleep(Math.max(0, opts.boundary - 100 - Date.now()));
  const atBoundary = { t: opts.temporalServer.cpuMs(), w: opts.worker.cpuMs(), at: Date.now() };
  for (;;) {
    await sleep(250);
    const r = await sql<{ n: number }>`
      select count(*)::int as n from case_events where type = 'department_overdue' and case_no = any(${cases})`.execute(
      db,
    );
    written = r.rows[0]!.n;
    if (written >= deadlines || Date.now() > giveUp) break;
  }
  const cpu = { temporal: opts.temporalServer.cpuMs() - cpu0.t, worker: opts.worker.cpuMs() - cpu0.w };
  const drain = {
    temporal: opts.temporalServer.cpuMs() - atBoundary.t,
    worker: opts.worker.cpuMs() - atBoundary.w,
    wall: Date.now() - atBoundary.at,
  };
  const rows = await sql<{ due: number; written: number }>`
    select case when jsonb_typeof(data->'dueAt') = 'number' then (data->>'dueAt')::float8
             else extract(epoch from (data->>'dueAt')::timestamptz)::float8 * 1000 end as due,
           extract(epoch from recorded_at)::float8 * 1000 as written
    from case_events where type = 'department_overdue' and case_no = any(${cases})`.execute(db);
  const late = rows.rows.map((r) => r.written - r.due);
  const onBoundary = rows.rows.filter((r) => r.due === opts.boundary);
  const lastWrite = Math.max(...onBoundary.map((r) => r.written));
  return {
    cases: cases.length,
    deadlines,
    onBoundary: onBoundary.length,
    written,
    lateness: { p50: quantile(late, 0.5), p99: quantile(late, 0.99), max: Math.max(...late) },
    drainPerSecond: onBoundary.length / Math.max(0.001, (lastWrite - opts.boundary) / 1000),
    cpu,
    sampleCase: cases[0]!,
    sweeps: sweepsSince(opts.worker, opts.boundary),
    drainCpu: drain,
    dayMs: opts.dayMs,
    submitPerSecond: opts.submitPerSecond,
    load: loadavg(),
  };
}

async function timerBurst(opts: {
  db: Db;
  env: Record<string, string>;
  procs: Proc[];
  cases: number;
  worker: Proc;
  temporalServer: Proc;
  /** Submissions per second to expect (sizes the demo day so that all fall on day 0). */
  submitRate: number;
}): Promise<BurstResult> {
  // Submissions must all fall on demo day 0 (department limits of 1 working day then end at the start of day 2).
  const dayMs = Math.max(20_000, Math.ceil((opts.cases / opts.submitRate) * 1.3 + 10) * 1000);
  const epochMs = Date.now() + 8_000;
  const { api, driver } = await startDemoApi(opts.env, opts.procs, dayMs, epochMs);
  await sleep(Math.max(0, epochMs - Date.now()));
  log(`burst: submitting ${opts.cases} silent cases (demo day ${dayMs / 1000} s); load ${loadavg()}`);
  const cases = await submitMany(driver, opts.cases, 32, 'BURST');
  const submitSeconds = (Date.now() - epochMs) / 1000;
  const boundary = epochMs + 2 * dayMs;
  log(`burst: submitted by +${submitSeconds.toFixed(0)} s; limits due at +${(2 * dayMs) / 1000} s`);
  const result = await measureBurst({ ...opts, cases, dayMs, boundary, submitPerSecond: cases.length / submitSeconds });
  log(`burst: ${burstRow(result)}`);
  await api.stop();
  return result;
}

interface BigDayResult {
  cases: number;
  limits: number;
  p50: number;
  p99: number;
  max: number;
  perSecond: number;
  workerCpu: number;
  load: string;
}

/**
 * 10,000 cases due on one day, on the write side: the open cases' department limits decided (as
 * their workflows would, with the same rules) and held for one boundary a few seconds off; then the
 * worker's sweeper records them. (The cases' workflows sleep towards their real deadlines, days
 * away, so nothing else writes to them meanwhile; the benchmark's servers are thrown away after.)
 */
async function sweepBigDay(db: Db, worker: Proc): Promise<BigDayResult> {
  const open = await sql<{ case_no: string }>`
    select case_no from cases where status = 'in_review' and matter_code = 'BENCH' order by case_no`.execute(db);
  const caseNos = open.rows.map((r) => r.case_no);
  log(`big day: holding the department limits of ${caseNos.length} open cases; load ${loadavg()}`);
  const ids: string[] = [];
  let limits = 0;
  for (const caseNo of caseNos) {
    const state = (await caseState(db, caseNo))!;
    const due = Math.min(...state.departments.map((t) => t.dueAt));
    const time = await resolveTimeModel(db, state.time);
    const { events } = applyCommand({ type: 'tick' }, state, caseNo, {
      now: due,
      time,
      actor: SYSTEM_ACTOR,
      legalTimes: true,
    });
    limits += events.filter((e) => e.type === 'department_overdue').length;
    const id = `bigday-${caseNo}`;
    await holdBatch(db, { id, caseNo, dueAt: Date.now() + 3_600_000, events });
    ids.push(id);
  }
  const boundary = Date.now() + 5_000;
  await sql`update held_batches set due_at = ${new Date(boundary)} where id = any(${ids})`.execute(db);
  await sleep(Math.max(0, boundary - 100 - Date.now()));
  const cpu0 = worker.cpuMs();
  for (;;) {
    await sleep(250);
    const r = await sql<{
      n: number;
    }>`select count(*)::int as n from held_batches where id = any(${ids}) and state = 'held'`.execute(db);
    if (r.rows[0]!.n === 0 || Date.now() > boundary + 600_000) break;
  }
  const workerCpu = worker.cpuMs() - cpu0;
  const rows = await sql<{ written: number }>`
    select (extract(epoch from e.recorded_at) * 1000)::float8 as written
    from held_batches h join case_events e on e.case_no = h.case_no and e.seq = h.first_seq
    where h.id = any(${ids})`.execute(db);
  const late = rows.rows.map((r) => r.written - boundary);
  return {
    cases: caseNos.length,
    limits,
    p50: quantile(late, 0.5),
    p99: quantile(late, 0.99),
    max: Math.max(...late),
    perSecond: rows.rows.length / (Math.max(...late, 1) / 1000),
    workerCpu,
    load: loadavg(),
  };
}

interface MemoryResult {
  /** RSS when the phase began, with `openBefore` cases open already (after a burst: its cases). */
  idle: number;
  openBefore: number;
  marks: { open: number; rss: number; load: string }[];
}

/** Worker RSS as open cases (submitted, in review, no timer due for days) accumulate. */
async function openCasesMemory(opts: {
  db: Db;
  worker: Proc;
  driver: ReturnType<typeof systemDriver>;
  marks: number[];
}) {
  const openBefore = await openCaseCount(opts.db);
  const total = Math.max(0, opts.marks[opts.marks.length - 1]! - openBefore);
  const idle = opts.worker.rssMiB();
  log(`memory: ${openBefore} open, opening ${total} more; worker RSS ${idle.toFixed(0)} MiB; load ${loadavg()}`);
  const marks: MemoryResult['marks'] = [];
  const pending = [...opts.marks];
  await submitMany(opts.driver, total, 48, 'BENCH', async (n) => {
    if (n % 1000 === 0)
      log(`memory: ${openBefore + n} open; worker RSS ${opts.worker.rssMiB().toFixed(0)} MiB; load ${loadavg()}`);
    while (pending.length && openBefore + n >= pending[0]!)
      marks.push({ open: pending.shift()!, rss: opts.worker.rssMiB(), load: loadavg() });
  });
  return { idle, openBefore, marks };
}

async function openCaseCount(db: Db): Promise<number> {
  const r = await sql<{ n: number }>`
    select count(*)::int as n from cases where status not in ('completed', 'rejected', 'withdrawn', 'terminated', 'refused')`.execute(
    db,
  );
  return r.rows[0]!.n;
}

mkdirSync(LOG_DIR, { recursive: true });
Runtime.install({ logger: new DefaultLogger('WARN') });
main().then(
  () => process.exit(0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
