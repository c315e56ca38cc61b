import { readFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { chromium, type Browser } from '@playwright/test';
import { putDepartment, putMatter } from '../db/repositories/catalog';
import { appendAndProject } from '../db/repositories/case-projection';
import { createDb } from '../db';
import { decide } from '../domain/decide';
import { envelope } from '../domain/draft';
import { withMatterDefaults } from '../domain/matter';
import type { Actor } from '../domain/types';
import { currentCalendar } from '../db/repositories/calendars';
import { CHROMIUM_ARGS, findChromium } from '../tests/browser/chromium';
import { buildWeb } from './build-web';
import { startThrowawaySystem } from './infra/throwaway-system';

/**
 * `npm run benchmark:browser`: the console in real Chromium against a real system — first page
 * load, time to interactive of a department's 待办 with 1,000 and 10,000 pending tasks (and of its
 * next page, 加载更多), the supervision dashboard over 10,000 open cases, the API's first and deepest
 * page of the inbox, and the JavaScript and CSS each route loads (gzipped; target for the first page
 * ≤ 500 KB). A benchmark, not a test: it prints figures.
 *
 * Seeding: each case's submission is decided by the domain (`decide`) and written with
 * `appendAndProject`, the one append the worker's activity makes (event store, case row, task rows,
 * figures, inbox notices, in one transaction), a few hundred cases a second in parallel batches.
 * What the API serves are real tasks of real cases; what they lack is a running workflow in
 * Temporal (no timers, no commands), which reading the inbox never touches.
 */
const DIST = path.resolve(__dirname, '..', 'web', 'dist');
const WINDOW: Actor = { sub: 'bench-window', role: 'window', dept: 'WIN', name: '基准窗口' };

/** Parallel appends in flight while seeding (each a short transaction of its own). */
const SEED_PARALLEL = 16;

async function seedPending(databaseUrl: string, from: number, count: number): Promise<void> {
  const db = createDb(databaseUrl, 8);
  try {
    await putDepartment(db, 'BENCH', { name: '基准测试局' });
    await putDepartment(db, 'BENCHCO', { name: '基准协办局' });
    const matter = withMatterDefaults('BENCHM', {
      name: '基准事项',
      leadDept: 'BENCH',
      coDepts: ['BENCHCO'],
      requiredMaterials: [{ code: 'app', name: '申请表' }],
      timeLimitDays: 20,
      silencePolicy: 'escalate_only',
      fees: [],
    });
    await putMatter(db, matter);
    const time = { kind: 'calendar' as const, calendar: await currentCalendar(db) };
    const now = Date.now();
    const jobs: Promise<unknown>[] = [];
    for (let i = from; i < from + count; i++) {
      const caseNo = `JB${String(i).padStart(10, '0')}`;
      const ctx = { now: now - (from + count - i) * 1000, actor: WINDOW, time };
      const bodies = decide(
        {
          type: 'submit',
          caseNo,
          matter,
          applicant: { name: `申请人${i}` },
          priority: 'normal',
          materials: ['app'],
          queryCodeHash: 'bench',
        },
        undefined,
        ctx,
      );
      jobs.push(appendAndProject(db, caseNo, envelope(undefined, caseNo, bodies, ctx)));
      if (jobs.length >= SEED_PARALLEL) await Promise.all(jobs.splice(0));
    }
    await Promise.all(jobs);
  } finally {
    await db.destroy();
  }
}

async function token(baseUrl: string, who: Record<string, string>): Promise<string> {
  const res = await fetch(`${baseUrl}/api/dev/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(who),
  });
  return ((await res.json()) as { token: string }).token;
}

/** Gzipped bytes of the console's own files a page loaded (JS and CSS from web/dist). */
function gzipped(urls: Set<string>): number {
  let total = 0;
  for (const url of urls) {
    const file = path.join(DIST, new URL(url).pathname);
    total += gzipSync(readFileSync(file)).length;
  }
  return total;
}

async function visit(
  browser: Browser,
  baseUrl: string,
  signInAs: Record<string, string> | null,
  route: string,
  ready: string,
  opts: { more?: boolean } = {},
) {
  const context = await browser.newContext({
    viewport: { width: 1366, height: 900 },
    bypassCSP: true /* waitForFunction polls with eval */,
  });
  const page = await context.newPage();
  const assets = new Set<string>();
  page.on('response', (r) => {
    if (/\/assets\/.+\.(js|css)$/.test(r.url())) assets.add(r.url());
    if (r.url().includes('/api/') && r.status() >= 400) process.stderr.write(`${r.status()} ${r.url()}\n`);
  });
  if (signInAs) {
    const t = await token(baseUrl, signInAs);
    await page.goto(`${baseUrl}/signin?next=${encodeURIComponent('/signin-done')}#token=${t}`);
    // Signed in once the page has taken the token (a URL check would match the `next=` it carries).
    await page.waitForFunction("sessionStorage.getItem('ja.session') !== null", undefined, { timeout: 30_000 });
    assets.clear();
  }
  const started = Date.now();
  await page.goto(baseUrl + route);
  await page.waitForSelector(ready, { timeout: 60_000 }).catch(async (err: unknown) => {
    // Say what the page showed instead of the rows it never got.
    process.stderr.write(`${page.url()}\n${(await page.locator('body').innerText()).slice(0, 800)}\n`);
    throw err;
  });
  // Interactive: the main thread is free again (a frame gets painted after the rows are in).
  await page.evaluate('new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)))');
  const interactiveMs = Date.now() - started;
  const timing = (await page.evaluate(
    `(() => { const n = performance.getEntriesByType('navigation')[0]; const p = performance.getEntriesByName('first-contentful-paint')[0];
       return { load: n ? n.loadEventEnd : null, fcp: p ? p.startTime : null }; })()`,
  )) as { load: number | null; fcp: number | null };
  const rows = await page.locator(ready).count();
  let moreMs: number | null = null;
  if (opts.more) {
    // The next page (加载更多): from the click until its rows are in and a frame is painted.
    const t = Date.now();
    await page.getByRole('button', { name: '加载更多' }).click();
    await page.waitForFunction(`document.querySelectorAll(${JSON.stringify(ready)}).length > ${rows}`, undefined, {
      timeout: 120_000,
    });
    await page.evaluate('new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)))');
    moreMs = Date.now() - t;
  }
  const bytes = gzipped(assets);
  await context.close();
  return {
    interactiveMs,
    loadMs: timing.load,
    fcpMs: timing.fcp,
    gzipKb: Math.round(bytes / 102.4) / 10,
    rows,
    moreMs,
  };
}

async function main(): Promise<void> {
  buildWeb();
  const system = await startThrowawaySystem({ logLevel: 'error', env: { DEV_LOGIN: '1' } });
  const browser = await chromium.launch({ executablePath: findChromium(), args: CHROMIUM_ARGS });
  const lines: string[] = [];
  const report = (name: string, r: Awaited<ReturnType<typeof visit>>) => {
    const more = r.moreMs === null ? '' : `  next page ${String(r.moreMs).padStart(5)} ms`;
    const line = `${name.padEnd(50)} interactive ${String(r.interactiveMs).padStart(5)} ms  FCP ${String(Math.round(r.fcpMs ?? 0)).padStart(5)} ms  JS+CSS ${String(r.gzipKb).padStart(6)} KB gz  rows ${String(r.rows).padStart(3)}${more}`;
    lines.push(line);
    console.log(line);
  };
  const seeded = (count: number, ms: number) => {
    const line = `seeding ${count.toLocaleString('en')} cases${''.padEnd(32 - String(count).length)} ${(ms / 1000).toFixed(1)} s (${Math.round((count * 1000) / ms)} cases/s)`;
    lines.push(line);
    console.log(line);
  };
  /** The API alone: the inbox's first page and the page after the last-but-one, by cursor (median of 5). */
  const apiPages = async (baseUrl: string, who: Record<string, string>, total: number) => {
    const auth = { authorization: `Bearer ${await token(baseUrl, who)}` };
    const time = async (cursor: string) => {
      const runs: number[] = [];
      let next: string | null = null;
      for (let i = 0; i < 5; i++) {
        const t = performance.now();
        const res = await fetch(`${baseUrl}/api/tasks?state=pending&limit=50&cursor=${encodeURIComponent(cursor)}`, {
          headers: auth,
        });
        next = ((await res.json()) as { nextCursor: string | null }).nextCursor;
        runs.push(performance.now() - t);
      }
      return { ms: runs.sort((a, b) => a - b)[2]!, next };
    };
    const first = await time('');
    // The deepest page: walk the cursors to the end (every page read once), then time the last.
    let cursor = first.next;
    let last = '';
    let pages = 1;
    while (cursor) {
      last = cursor;
      const res = await fetch(`${baseUrl}/api/tasks?state=pending&limit=50&cursor=${encodeURIComponent(cursor)}`, {
        headers: auth,
      });
      cursor = ((await res.json()) as { nextCursor: string | null }).nextCursor;
      pages++;
    }
    const deepest = await time(last);
    const line = `GET /api/tasks, ${total.toLocaleString('en')} pending, 50 a page: first ${first.ms.toFixed(1)} ms, page ${pages} of ${pages} ${deepest.ms.toFixed(1)} ms`;
    lines.push(line);
    console.log(line);
  };
  try {
    const dept = { role: 'department', dept: 'BENCH', name: '基准审查员' };
    report('first page load (/signin, cold)', await visit(browser, system.baseUrl, null, '/signin', 'button'));
    process.stderr.write('seeding 1,000 pending tasks …\n');
    let t = Date.now();
    await seedPending(system.config.databaseUrl, 0, 1000);
    seeded(1000, Date.now() - t);
    report(
      '待办 with 1,000 pending tasks (/dept)',
      await visit(browser, system.baseUrl, dept, '/dept', 'tbody tr.ant-table-row', { more: true }),
    );
    await apiPages(system.baseUrl, dept, 1000);
    process.stderr.write('seeding 9,000 more (10,000 pending) …\n');
    t = Date.now();
    await seedPending(system.config.databaseUrl, 1000, 9000);
    seeded(9000, Date.now() - t);
    report(
      '待办 with 10,000 pending tasks (/dept)',
      await visit(browser, system.baseUrl, dept, '/dept', 'tbody tr.ant-table-row', { more: true }),
    );
    await apiPages(system.baseUrl, dept, 10_000);
    const sup = { role: 'supervisor', name: '基准督查' };
    report(
      'supervision dashboard, 10,000 open (/supervision)',
      await visit(browser, system.baseUrl, sup, '/supervision?filter=all', 'tbody tr.ant-table-row', { more: true }),
    );
    report(
      'statistics (/supervision/stats)',
      await visit(browser, system.baseUrl, sup, '/supervision/stats', 'canvas'),
    );
    const admin = { role: 'admin', name: '基准管理员' };
    report(
      'calendar (/admin/calendar)',
      await visit(browser, system.baseUrl, admin, '/admin/calendar', 'button.cal-day'),
    );
    report(
      'matters (/admin/matters)',
      await visit(browser, system.baseUrl, admin, '/admin/matters', 'tbody tr.ant-table-row'),
    );
    report(
      'applicant progress (/progress)',
      await visit(browser, system.baseUrl, null, '/progress', 'button[type=submit]'),
    );
  } finally {
    await browser.close();
    await system.stop();
  }
  console.log(['', 'browser benchmark (Chromium headless, this machine):', ...lines.map((l) => `  ${l}`)].join('\n'));
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
