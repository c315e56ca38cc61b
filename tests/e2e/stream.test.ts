import { EventSource } from 'eventsource';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../api/app';
import { createDb } from '../../db';
import { caseFactory } from '../support/cases';
import { caller, eventually, seedMatter, type MatterSetup } from '../support/http';
import { startSystem, unique, type TestSystem } from '../support/system';

interface Received {
  event: string;
  data: any;
  at: number;
}

/** Opens a stream the way the console does: a ticket from POST /api/stream/tickets, then EventSource. */
async function openStream(baseUrl: string, token: string, topics: string[]) {
  const res = await fetch(`${baseUrl}/api/stream/tickets`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ topics }),
  });
  expect(res.status).toBe(201);
  const { url } = (await res.json()) as { url: string };
  const received: Received[] = [];
  const source = new EventSource(baseUrl + url);
  for (const event of ['ready', 'change', 'resync', 'end'])
    source.addEventListener(event, (e) => received.push({ event, data: JSON.parse(e.data), at: Date.now() }));
  await eventually(
    async () => received,
    (r) => r.some((x) => x.event === 'ready'),
    5_000,
  );
  return {
    source,
    received,
    url,
    next: (event: string, after: number) =>
      eventually(
        async () => received.find((x) => x.event === event && x.at >= after),
        (x) => x !== undefined,
        5_000,
      ).then((x) => x!),
  };
}

/** Reads a raw event stream for `ms` and returns its text (for heartbeats and framing). */
async function readRaw(url: string, headers: Record<string, string>, ms: number) {
  const controller = new AbortController();
  const res = await fetch(url, { headers, signal: controller.signal });
  let text = '';
  const reader = res.body!.getReader();
  const stop = setTimeout(() => controller.abort(), ms);
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      text += new TextDecoder().decode(value);
    }
  } catch {
    // aborted: the time is up
  } finally {
    clearTimeout(stop);
  }
  return { status: res.status, headers: res.headers, text };
}

describe('live updates: GET /api/stream fed by PostgreSQL LISTEN/NOTIFY', () => {
  let sys: TestSystem;
  let m: MatterSetup;
  let factory: ReturnType<typeof caseFactory>;

  beforeAll(async () => {
    sys = await startSystem({ listen: true, env: { STREAM_HEARTBEAT_SECONDS: '0.2' } });
    m = await seedMatter(sys, unique('S'));
    factory = caseFactory(sys, m);
  });
  afterAll(async () => sys?.stop());

  const supervisor = () => caller(sys, sys.token('supervisor'));

  it('an urge reaches the urged department’s inbox stream within a second', async () => {
    const c = await factory.make('in_review');
    const fire = await openStream(sys.baseUrl!, sys.token('department', m.co[0]), [`inbox:${m.co[0]}`]);
    try {
      expect(fire.received[0]!.data.topics).toEqual([`inbox:${m.co[0]}`]);
      const before = Date.now();
      const urged = await supervisor().post(`/api/cases/${c.caseNo}/urge`, { message: '请加快' });
      expect(urged.status).toBe(200);
      const answered = Date.now();
      const change = await fire.next('change', before);
      expect(change.data.topics).toEqual([`inbox:${m.co[0]}`]);
      expect(change.data.changes).toContainEqual(expect.objectContaining({ caseNo: c.caseNo, types: ['urged'] }));
      // The urge is recorded before its command is answered; its notice may even arrive first.
      expect(change.at - answered).toBeLessThan(1000);
      // And the inbox the stream points at shows it.
      const inbox = await caller(sys, sys.token('department', m.co[0])).get('/api/inbox');
      expect(inbox.body.some((n: any) => n.caseNo === c.caseNo && n.kind === 'urge')).toBe(true);
    } finally {
      fire.source.close();
    }
  });

  it('a case page and the supervision dashboard hear an opinion within a second', async () => {
    const c = await factory.make('in_review');
    const page = await openStream(sys.baseUrl!, sys.token('window', 'WIN'), [`case:${c.caseNo}`]);
    const dashboard = await openStream(sys.baseUrl!, sys.token('supervisor'), ['supervision']);
    try {
      const before = Date.now();
      const res = await caller(sys, sys.token('department', m.co[1])).post(`/api/cases/${c.caseNo}/opinions`, {
        verdict: 'approve',
      });
      expect(res.status).toBe(200);
      const answered = Date.now();
      for (const stream of [page, dashboard]) {
        const change = await stream.next('change', before);
        expect(change.data.changes).toContainEqual(
          expect.objectContaining({ caseNo: c.caseNo, types: expect.arrayContaining(['opinion_given']) }),
        );
        expect(change.at - answered).toBeLessThan(1000);
      }
      expect((await page.next('change', before)).data.topics).toEqual([`case:${c.caseNo}`]);
      expect((await dashboard.next('change', before)).data.topics).toEqual(['supervision']);
    } finally {
      page.source.close();
      dashboard.source.close();
    }
  });

  it('a second API process on the same database streams changes the first one made (no shared memory)', async () => {
    const db = createDb(sys.config.databaseUrl, 2);
    const other = await buildApp({ config: { ...sys.config, taskQueue: 'no-worker-here' }, db, temporal: sys.client });
    await other.listen({ host: '127.0.0.1', port: 0 });
    const address = other.server.address();
    const otherUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    try {
      const c = await factory.make('in_review');
      const stream = await openStream(otherUrl, sys.token('department', m.lead), [`inbox:${m.lead}`]);
      const before = Date.now();
      expect((await supervisor().post(`/api/cases/${c.caseNo}/urge`, { message: '跨进程' })).status).toBe(200);
      const answered = Date.now();
      const change = await stream.next('change', before);
      expect(change.data.changes).toContainEqual(expect.objectContaining({ caseNo: c.caseNo }));
      expect(change.at - answered).toBeLessThan(1000);
      // Closing that process ends its streams cleanly, with a reason, instead of hanging the shutdown.
      const closed = other.close();
      const end = await stream.next('end', before);
      expect(end.data).toEqual({ reason: 'shutdown' });
      await closed;
      stream.source.close();
    } finally {
      await other.close();
      await db.destroy();
    }
  });

  it('a ticket opens one stream only, is no bearer token, and a stream without a ticket needs one', async () => {
    const token = sys.token('department', m.lead);
    const issued = await caller(sys, token).post('/api/stream/tickets', { topics: [`inbox:${m.lead}`] });
    expect(issued.status).toBe(201);
    expect(issued.body.url).toBe(`/api/stream?ticket=${issued.body.ticket}`);
    const first = await readRaw(sys.baseUrl + issued.body.url, {}, 300);
    expect(first.status).toBe(200);
    expect(first.headers.get('content-type')).toMatch(/^text\/event-stream/);
    expect(first.headers.get('cache-control')).toBe('no-store');
    expect(first.text).toContain('event: ready');
    const again = await fetch(sys.baseUrl + issued.body.url);
    expect(again.status).toBe(401);
    expect(again.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(((await again.json()) as { code: string }).code).toBe('stream_ticket_invalid');
    const forged = await fetch(`${sys.baseUrl}/api/stream?ticket=${'x'.repeat(43)}`);
    expect(forged.status).toBe(401);
    const asBearer = await caller(sys, issued.body.ticket).get('/api/cases');
    expect(asBearer.status).toBe(401);
    const none = await fetch(`${sys.baseUrl}/api/stream?topics=supervision`);
    expect(none.status).toBe(401);
  });

  it('topics are authorised like the routes they mirror', async () => {
    const c = await factory.make('in_review');
    const outsider = `OUT${unique('')}`;
    expect(
      (await caller(sys, sys.token('admin')).put(`/api/departments/${outsider}`, { name: '无关部门' })).status,
    ).toBe(200);
    const cases: [string, string, number, string | undefined][] = [
      [sys.token('department', m.co[0]), `inbox:${m.lead}`, 403, 'not_own_department'],
      [sys.token('department', m.co[0]), 'supervision', 403, 'forbidden_role'],
      [sys.token('window', 'WIN'), `inbox:${m.lead}`, 403, 'forbidden_role'],
      [sys.token('department', outsider), `case:${c.caseNo}`, 403, 'not_reviewing_department'],
      [sys.token('supervisor'), 'case:NO-SUCH-CASE', 404, 'case_not_found'],
      [sys.token('supervisor'), 'everything', 400, undefined],
      [sys.token('supervisor'), `inbox:${m.lead}`, 201, undefined],
      [sys.token('department', m.co[0]), `case:${c.caseNo}`, 201, undefined],
      [sys.token('admin'), `case:${c.caseNo}`, 201, undefined],
    ];
    for (const [token, topic, status, code] of cases) {
      const res = await caller(sys, token).post('/api/stream/tickets', { topics: [topic] });
      expect({ topic, status: res.status, code: res.body.code }).toEqual({
        topic,
        status,
        code: code ?? (status === 400 ? 'validation_failed' : undefined),
      });
    }
  });

  it('with a bearer token (non-browser clients) topics come in the query; heartbeats keep the line open', async () => {
    const raw = await readRaw(
      `${sys.baseUrl}/api/stream?topics=supervision,inbox:${m.lead}`,
      { authorization: `Bearer ${sys.token('supervisor')}` },
      700,
    );
    expect(raw.status).toBe(200);
    expect(raw.text).toMatch(/^event: ready\n/m);
    expect(raw.text).toContain('"topics":["supervision","inbox:');
    expect(raw.text).toMatch(/^retry: 3000$/m);
    expect(raw.text.match(/^: heartbeat$/gm)?.length ?? 0).toBeGreaterThanOrEqual(2);
  });

  it('a stream whose reader goes away is let go', async () => {
    await eventually(
      async () => sys.app.live.size,
      (n) => n === 0,
      5_000,
    );
    const stream = await openStream(sys.baseUrl!, sys.token('supervisor'), ['supervision']);
    expect(sys.app.live.size).toBe(1);
    stream.source.close();
    await eventually(
      async () => sys.app.live.size,
      (n) => n === 0,
      5_000,
    );
  });
});
