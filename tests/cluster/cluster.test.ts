import { randomUUID } from 'node:crypto';
import { chmodSync, cpSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { DefaultLogger, Runtime, Worker } from '@temporalio/worker';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createDb, type Db } from '../../db';
import { freeClusterPorts, startCluster, type Cluster } from '../../scripts/infra/cluster';
import { reconcile } from '../../scripts/reconcile-lib';
import { CLUSTER_LOGS_KEPT } from '../../scripts/cluster-logs';
import { WORKFLOWS_PATH } from '../../worker/create-worker';
import { CLUSTER_JWT_SECRET, client, eventually, expectStatus, inPool, sendCommand, token } from './support';

/**
 * The production shape under load and outages: PostgreSQL (system, Temporal and visibility
 * databases), the Temporal server built from Go, two workers and two API instances, every one its
 * own process. The demo clock makes a working day DAY_S seconds, so deadlines and deemed consents
 * play out on real durable timers within the run.
 */
const DAY_S = 2;
const HISTORIES_DIR = path.join(__dirname, '..', 'replay', 'histories');

interface CaseEvent {
  seq: number;
  type: string;
  data: Record<string, unknown>;
}

describe('the cluster: Temporal server on PostgreSQL, two workers, two API instances', () => {
  let cluster: Cluster;
  let dataDir: string;
  let connection: Connection;
  let temporal: Client;
  let db: Db;
  /** Whether a test failed: then the processes' logs outlive the run (scripts/cluster-logs.ts). */
  let failed = false;
  /** Cases this run made, with the status each must keep through the restarts. */
  const made = new Map<string, string>();

  const admin = (i = 0) => client(cluster.apiUrls[i]!, token('admin'));
  const window = (i: number) => client(cluster.apiUrls[i]!, token('window', 'WIN'));
  const dept = (i: number, code: string) => client(cluster.apiUrls[i]!, token('department', code));
  const supervisor = (i = 0) => client(cluster.apiUrls[i]!, token('supervisor'));
  const events = async (caseNo: string, i = 0) =>
    expectStatus(await supervisor(i).get(`/api/cases/${caseNo}/events`), 200, `events of ${caseNo}`)
      .body as CaseEvent[];
  const count = (trail: CaseEvent[], type: string) => trail.filter((e) => e.type === type).length;
  /** Every event once, in order: what "nothing lost, nothing doubled" looks like in the log. */
  const expectWholeLog = (trail: CaseEvent[]) => {
    expect(trail.map((e) => e.seq)).toEqual(trail.map((_, i) => i + 1));
    expect(count(trail, 'submitted')).toBe(1);
    expect(count(trail, 'accepted')).toBe(1);
  };

  async function seedMatter(overrides: Record<string, unknown> = {}) {
    const suffix = randomUUID().slice(0, 6).toUpperCase();
    const lead = `PLAN${suffix}`;
    const co = [`FIRE${suffix}`, `ENV${suffix}`] as [string, string];
    for (const code of ['WIN', lead, ...co])
      expectStatus(await admin().put(`/api/departments/${code}`, { name: `部门 ${code}` }), 200, `department ${code}`);
    const matterCode = `M${suffix}`;
    expectStatus(
      await admin(1).put(`/api/matters/${matterCode}`, {
        name: '建设工程并联审批',
        leadDept: lead,
        coDepts: co,
        requiredMaterials: [{ code: 'application', name: '申请表' }],
        timeLimitDays: 60,
        deptReviewDays: 30,
        silencePolicy: 'deemed_approve',
        fees: [],
        ...overrides,
      }),
      200,
      'matter',
    );
    return { matterCode, lead, co };
  }
  type Matter = Awaited<ReturnType<typeof seedMatter>>;

  async function submit(m: Matter, api: number, body: Record<string, unknown> = {}): Promise<string> {
    const res = await sendCommand(window(api), '/api/cases', {
      matterCode: m.matterCode,
      applicant: { name: '测试申请人' },
      materials: ['application'],
      ...body,
    });
    const caseNo = expectStatus(res, 201, 'submit').body.caseNo as string;
    made.set(caseNo, res.body.status);
    return caseNo;
  }

  async function opinion(m: Matter, caseNo: string, code: string, api: number) {
    const res = expectStatus(
      await sendCommand(dept(api, code), `/api/cases/${caseNo}/opinions`, { verdict: 'approve' }),
      200,
      `${code} opinion`,
    );
    made.set(caseNo, res.body.status);
    return res.body;
  }

  async function decide(m: Matter, caseNo: string, api: number) {
    const res = expectStatus(
      await sendCommand(dept(api, m.lead), `/api/cases/${caseNo}/decision`, { decision: 'approve' }),
      200,
      'decision',
    );
    made.set(caseNo, res.body.status);
    return res.body;
  }

  /** One case from the window to the decision, its calls alternating between the two instances. */
  async function wholeCase(m: Matter, first: number): Promise<string> {
    const other = 1 - first;
    const caseNo = await submit(m, first);
    await opinion(m, caseNo, m.co[0], other);
    await opinion(m, caseNo, m.co[1], first);
    expect((await opinion(m, caseNo, m.lead, other)).status).toBe('deciding');
    expect((await decide(m, caseNo, first)).status).toBe('completed');
    return caseNo;
  }

  beforeAll(async () => {
    // The replay worker in this process: its warnings, not its every state change.
    Runtime.install({ logger: new DefaultLogger('WARN') });
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'ja-cluster-'));
    chmodSync(dataDir, 0o755); // the embedded server runs as the unprivileged postgres user
    const started = Date.now();
    cluster = await startCluster({
      dataDir,
      ports: await freeClusterPorts(),
      env: {
        JWT_SECRET: CLUSTER_JWT_SECRET,
        DEMO_DAY_SECONDS: String(DAY_S),
        DEMO_EPOCH_MS: String(Date.now()),
        LOG_LEVEL: 'warn',
      },
      log: (m) => console.log(`[cluster] ${m}`),
    });
    console.log(`[cluster] up in ${Math.round((Date.now() - started) / 1000)} s: ${cluster.apiUrls.join(', ')}`);
    connection = await Connection.connect({ address: cluster.temporalAddress });
    temporal = new Client({ connection, namespace: 'default' });
    db = createDb(cluster.postgres.databaseUrl, 2);
  });

  beforeEach(({ onTestFailed }) => onTestFailed(() => void (failed = true)));

  afterAll(async () => {
    await db?.destroy();
    await connection?.close();
    await cluster?.stop();
    if (failed && cluster) {
      rmSync(CLUSTER_LOGS_KEPT, { recursive: true, force: true });
      cpSync(cluster.logDir, CLUSTER_LOGS_KEPT, { recursive: true });
    }
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('serves the console and the API from both instances, each healthy on PostgreSQL and the Temporal server, with metrics', async () => {
    for (const url of cluster.apiUrls) {
      const health = await fetch(`${url}/health`);
      expect(health.status).toBe(200);
      expect(await health.json()).toMatchObject({ status: 'ok' });
    }
    for (const url of cluster.apiUrls) {
      const page = await fetch(`${url}/`, { headers: { accept: 'text/html' } });
      expect(page.status, `the console at ${url}/`).toBe(200);
      expect(await page.text()).toContain('<div id="root">');
    }
    expect(await (await fetch(`${cluster.apiUrls[1]}/metrics`)).text()).toContain('http_requests_total');
    expect(await (await fetch(cluster.workerMetricsUrls[0]!)).text()).toContain('temporal_num_pollers');
    expect(await (await fetch(cluster.temporalMetricsUrl)).text()).toMatch(/^persistence_requests/m);
    const system = await connection.workflowService.getSystemInfo({});
    expect(system.serverVersion).toBe('1.29.1');
  });

  it('the thin path: accepted on one instance, reviewed and decided across both', async () => {
    const m = await seedMatter();
    const caseNo = await wholeCase(m, 0);
    const trail = await events(caseNo, 1);
    expectWholeLog(trail);
    expect(count(trail, 'opinion_given')).toBe(3);
    expect(count(trail, 'completed')).toBe(1);
    const described = await temporal.workflow.getHandle(caseNo).describe();
    expect(described.status.name).toBe('COMPLETED');
  });

  it('a live stream on one instance hears of a change made through the other (ticket from either)', async () => {
    const m = await seedMatter();
    const caseNo = await submit(m, 0);
    // The console gets its ticket from whichever instance the balancer picks, and streams from another.
    const ticket = expectStatus(
      await supervisor(0).post('/api/stream/tickets', { topics: [`case:${caseNo}`] }),
      201,
      'stream ticket',
    ).body as { url: string };
    const abort = new AbortController();
    const stream = await fetch(`${cluster.apiUrls[1]}${ticket.url}`, { signal: abort.signal });
    expect(stream.status).toBe(200);
    const reader = stream.body!.getReader();
    let text = '';
    const waitFor = async (needle: string) => {
      const deadline = Date.now() + 30_000;
      while (!text.includes(needle)) {
        if (Date.now() > deadline) throw new Error(`no "${needle}" on the stream; got: ${text.slice(-500)}`);
        const { value, done } = await reader.read();
        if (done) throw new Error(`the stream ended; got: ${text}`);
        text += new TextDecoder().decode(value);
      }
    };
    try {
      await waitFor('event: ready');
      await opinion(m, caseNo, m.co[0], 0);
      await waitFor('event: change');
      expect(text.slice(text.indexOf('event: change'))).toContain(caseNo);
    } finally {
      abort.abort();
    }
  });

  it('100 whole cases spread over both API instances: every one completed, every event once', async () => {
    const m = await seedMatter();
    const started = Date.now();
    const caseNos = await inPool(
      Array.from({ length: 100 }, (_, i) => i),
      10,
      (i) => wholeCase(m, i % 2),
    );
    const seconds = (Date.now() - started) / 1000;
    console.log(`[cluster] 100 whole cases (500 requests) in ${seconds.toFixed(1)} s`);
    expect(new Set(caseNos).size).toBe(100);
    await inPool(caseNos, 10, async (caseNo, i) => {
      const trail = await events(caseNo, i % 2);
      expectWholeLog(trail);
      expect(count(trail, 'opinion_given')).toBe(3);
      expect(count(trail, 'completed')).toBe(1);
    });
    const rows = await db.selectFrom('cases').select(['status']).where('matter_code', '=', m.matterCode).execute();
    expect(rows.map((r) => r.status)).toEqual(Array(100).fill('completed'));
    // Visibility on SQL agrees, once it has caught up.
    await eventually(
      () => temporal.workflow.count(`MatterCode = '${m.matterCode}' AND CaseStatus = 'completed'`),
      (c) => c.count === 100,
    );
  });

  it('kill -9 one worker mid-flight: the other takes every case to completion', async () => {
    // Every department stays silent: its opinion is deemed (视为同意) by a durable timer one working
    // day on, so the cases move by timers alone until the lead decides.
    const m = await seedMatter({ timeLimitDays: 5, deptReviewDays: 1 });
    let submitted = 0;
    const submissions = inPool(
      Array.from({ length: 30 }, (_, i) => i),
      6,
      async (i) => {
        const caseNo = await submit(m, i % 2);
        submitted++;
        return caseNo;
      },
    );
    // Worker 1 dies with submissions (workflow starts and their first tasks) and timers in flight.
    await eventually(
      async () => submitted,
      (n) => n >= 8,
    );
    await cluster.workers[0]!.kill();
    expect(cluster.workers[0]!.running).toBe(false);
    const caseNos = await submissions;
    expect(new Set(caseNos).size).toBe(30);
    for (const [i, caseNo] of caseNos.entries()) {
      await eventually(
        async () => (await supervisor(i % 2).get(`/api/cases/${caseNo}`)).body.status,
        (status) => status === 'deciding',
      );
    }
    await inPool(caseNos, 6, async (caseNo, i) => expect((await decide(m, caseNo, i % 2)).status).toBe('completed'));
    await inPool(caseNos, 6, async (caseNo) => {
      const trail = await events(caseNo);
      expectWholeLog(trail);
      expect(count(trail, 'opinion_deemed')).toBe(3);
      expect(count(trail, 'review_completed')).toBe(1);
      expect(count(trail, 'completed')).toBe(1);
    });
    expect(cluster.workers[1]!.running).toBe(true);
    // Back to two workers for what follows.
    await cluster.workers[0]!.start();
  });

  it("stop one API instance: the other serves, and a client's retry with the same key doubles nothing", async () => {
    const m = await seedMatter();
    const idempotencyKey = `retry-${randomUUID()}`;
    const body = {
      matterCode: m.matterCode,
      applicant: { name: '重试申请人' },
      materials: ['application'],
      idempotencyKey,
    };
    // The request reaches instance 1, which dies under it: the client cannot know whether it took effect.
    const first = window(0)
      .post('/api/cases', body)
      .then(
        (res) => res,
        (err: Error) => ({ status: 0, body: String(err) }),
      );
    await new Promise((r) => setTimeout(r, 20));
    await cluster.apis[0]!.kill();
    const lost = await first;
    console.log(`[cluster] the request to the killed instance answered: ${lost.status || 'no answer'}`);
    // Its retry goes to the instance still up, with the same key.
    const retried = await window(1).post('/api/cases', body);
    expect([200, 201]).toContain(retried.status);
    if (lost.status === 201) expect(retried.body.caseNo).toBe(lost.body.caseNo);
    const again = await window(1).post('/api/cases', body);
    expect(again.status).toBe(200);
    expect(again.body.caseNo).toBe(retried.body.caseNo);
    const requests = await db
      .selectFrom('case_requests')
      .select('case_no')
      .where('idempotency_key', '=', idempotencyKey)
      .execute();
    expect(requests).toHaveLength(1);
    const caseNo = retried.body.caseNo as string;
    made.set(caseNo, retried.body.status);
    expectWholeLog(await events(caseNo, 1));
    expect(
      (await db.selectFrom('cases').select('case_no').where('matter_code', '=', m.matterCode).execute()).length,
    ).toBe(1);

    // Everything else goes on through the surviving instance alone.
    const health = await fetch(`${cluster.apiUrls[1]}/health`);
    expect(health.status).toBe(200);
    await opinion(m, caseNo, m.co[0], 1);
    await opinion(m, caseNo, m.co[1], 1);
    await opinion(m, caseNo, m.lead, 1);
    expect((await decide(m, caseNo, 1)).status).toBe('completed');
    await cluster.apis[0]!.start();
    expect((await fetch(`${cluster.apiUrls[0]}/health`)).status).toBe(200);
  });

  it('restart the Temporal server and PostgreSQL: nothing lost, running timers still fire, new cases flow', async () => {
    const m = await seedMatter({ timeLimitDays: 8, deptReviewDays: 2 });
    const waiting = await inPool([0, 1, 2, 3, 4, 5], 6, async (i) => {
      const caseNo = await submit(m, i % 2);
      await opinion(m, caseNo, m.lead, 1 - (i % 2));
      return caseNo;
    });
    const before = await db.selectFrom('cases').select(['case_no', 'status', 'last_seq']).orderBy('case_no').execute();
    const eventsBefore = await db
      .selectFrom('case_events')
      .select(db.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();

    const outage = Date.now();
    await cluster.temporal.stop();
    await cluster.postgres.stop();
    await cluster.postgres.start();
    await cluster.temporal.start();
    console.log(`[cluster] Temporal server and PostgreSQL restarted in ${((Date.now() - outage) / 1000).toFixed(1)} s`);

    for (const url of cluster.apiUrls)
      await eventually(
        async () => (await fetch(`${url}/health`)).status,
        (s) => s === 200,
      );
    const after = await db.selectFrom('cases').select(['case_no', 'status', 'last_seq']).orderBy('case_no').execute();
    const known = new Map(after.map((r) => [r.case_no, r]));
    for (const row of before) {
      const now = known.get(row.case_no);
      expect(now, row.case_no).toBeDefined();
      expect(now!.last_seq).toBeGreaterThanOrEqual(row.last_seq);
    }
    const eventsAfter = await db
      .selectFrom('case_events')
      .select(db.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    expect(Number(eventsAfter.n)).toBeGreaterThanOrEqual(Number(eventsBefore.n));
    // Every case's workflow is still in Temporal's PostgreSQL, with its history.
    for (const caseNo of made.keys()) await temporal.workflow.getHandle(caseNo).describe();

    // Timers armed before the outage fire after it: the silent departments are deemed to consent.
    for (const caseNo of waiting)
      await eventually(
        async () => (await supervisor().get(`/api/cases/${caseNo}`)).body.status,
        (status) => status === 'deciding',
        90_000,
      );
    for (const caseNo of waiting) expect((await decide(m, caseNo, 0)).status).toBe('completed');
    await wholeCase(await seedMatter(), 1);
  });

  it("visibility on SQL answers the supervisors' questions: CaseAlert='red' AND PendingDepts='…'", async () => {
    // A one-day limit and a department that never answers (escalate_only: it stays pending).
    const m = await seedMatter({ timeLimitDays: 1, deptReviewDays: 1, silencePolicy: 'escalate_only' });
    const blocked = await inPool([0, 1, 2], 3, async (i) => {
      const caseNo = await submit(m, i % 2);
      await opinion(m, caseNo, m.lead, 0);
      await opinion(m, caseNo, m.co[0], 1);
      return caseNo;
    });
    const otherwise = await submit(m, 0); // blocked by both co-departments
    await opinion(m, otherwise, m.lead, 1);
    const query = `CaseAlert = 'red' AND PendingDepts = '${m.co[1]}' AND MatterCode = '${m.matterCode}'`;
    const found = async () => {
      const ids: string[] = [];
      for await (const wf of temporal.workflow.list({ query })) ids.push(wf.workflowId);
      return ids.sort();
    };
    const red = await eventually(found, (ids) => ids.length === 4, 60_000);
    expect(red).toEqual([...blocked, otherwise].sort());
    const onlyTheFirst = `CaseAlert = 'red' AND PendingDepts = '${m.co[0]}' AND MatterCode = '${m.matterCode}'`;
    expect((await temporal.workflow.count(onlyTheFirst)).count).toBe(1);
    // The supervision API, reading the projections, names the same cases as overdue at that department.
    const overdue = expectStatus(
      await supervisor(1).get(`/api/supervision/cases?filter=overdue&dept=${m.co[1]}`),
      200,
      'supervision',
    ).body as { caseNo: string }[];
    expect(overdue.map((c) => c.caseNo).sort()).toEqual(red);
  });

  it('npm run reconcile finds no drift between Temporal visibility and the projections', async () => {
    // Visibility is written asynchronously after each change: allow it to catch up with the last timers.
    const result = await eventually(
      () => reconcile(db, temporal),
      (r) => r.drift.length === 0,
      60_000,
    );
    const cases = await db.selectFrom('cases').select(db.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    expect(result.checked).toBe(Number(cases.n));
    expect(result.checked).toBe(made.size);
  });

  it('replays the recorded histories and the histories this server recorded against the workflow code', async () => {
    const recorded = readdirSync(HISTORIES_DIR)
      .filter((f) => f.endsWith('.json'))
      .map((f) => ({
        workflowId: path.basename(f, '.json'),
        history: JSON.parse(readFileSync(path.join(HISTORIES_DIR, f), 'utf8')),
      }));
    expect(recorded.length).toBeGreaterThanOrEqual(6);
    // Every kind of case this run played, taken from the Temporal server's PostgreSQL.
    const sample = [...made.keys()].filter((_, i) => i % 10 === 0);
    const fromServer = await Promise.all(
      sample.map(async (caseNo) => ({
        workflowId: caseNo,
        history: await temporal.workflow.getHandle(caseNo).fetchHistory(),
      })),
    );
    const results = [];
    for await (const result of Worker.runReplayHistories({ workflowsPath: WORKFLOWS_PATH }, [
      ...recorded,
      ...fromServer,
    ]))
      results.push(result);
    expect(results).toHaveLength(recorded.length + fromServer.length);
    for (const r of results) expect(r.error, `${r.workflowId}: ${String(r.error)}`).toBeUndefined();
  });
});
