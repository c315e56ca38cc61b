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
 * load, time to interactive of a department's 待办 with 1,000 and 10,000 pending tasks, and the
 * JavaScript and CSS each route loads (gzipped; target for the first page ≤ 500 KB). A benchmark,
 * not a test: it prints figures. Cases are put in the event store and projections directly (the
 * same append the worker uses), since only reading them is measured.
 */
const DIST = path.resolve(__dirname, '..', 'web', 'dist');
const WINDOW: Actor = { sub: 'bench-window', role: 'window', dept: 'WIN', name: '基准窗口' };

async function seedPending(databaseUrl: string, from: number, count: number): Promise<void> {
  const db = createDb(databaseUrl, 4);
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
      if (jobs.length >= 8) await Promise.all(jobs.splice(0));
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
) {
  const context = await browser.newContext({ viewport: { width: 1366, height: 900 } });
  const page = await context.newPage();
  const assets = new Set<string>();
  page.on('response', (r) => {
    if (/\/assets\/.+\.(js|css)$/.test(r.url())) assets.add(r.url());
  });
  if (signInAs) {
    const t = await token(baseUrl, signInAs);
    await page.goto(`${baseUrl}/signin?next=${encodeURIComponent('/signin-done')}#token=${t}`);
    await page.waitForURL(/signin-done|\/$/).catch(() => undefined);
    assets.clear();
  }
  const started = Date.now();
  await page.goto(baseUrl + route);
  await page.waitForSelector(ready, { timeout: 120_000 });
  // Interactive: the main thread is free again (a frame gets painted after the rows are in).
  await page.evaluate('new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)))');
  const interactiveMs = Date.now() - started;
  const timing = (await page.evaluate(
    `(() => { const n = performance.getEntriesByType('navigation')[0]; const p = performance.getEntriesByName('first-contentful-paint')[0];
       return { load: n ? n.loadEventEnd : null, fcp: p ? p.startTime : null }; })()`,
  )) as { load: number | null; fcp: number | null };
  const bytes = gzipped(assets);
  await context.close();
  return { interactiveMs, loadMs: timing.load, fcpMs: timing.fcp, gzipKb: Math.round(bytes / 102.4) / 10 };
}

async function main(): Promise<void> {
  buildWeb();
  const system = await startThrowawaySystem({ logLevel: 'error', env: { DEV_LOGIN: '1' } });
  const browser = await chromium.launch({ executablePath: findChromium(), args: CHROMIUM_ARGS });
  const lines: string[] = [];
  const report = (name: string, r: Awaited<ReturnType<typeof visit>>) => {
    const line = `${name.padEnd(44)} interactive ${String(r.interactiveMs).padStart(5)} ms  FCP ${String(Math.round(r.fcpMs ?? 0)).padStart(5)} ms  JS+CSS ${String(r.gzipKb).padStart(6)} KB gz`;
    lines.push(line);
    console.log(line);
  };
  try {
    const dept = { role: 'department', dept: 'BENCH', name: '基准审查员' };
    report('first page load (/signin, cold)', await visit(browser, system.baseUrl, null, '/signin', 'button'));
    process.stderr.write('seeding 1,000 pending tasks …\n');
    let t = Date.now();
    await seedPending(system.config.databaseUrl, 0, 1000);
    process.stderr.write(`  ${((Date.now() - t) / 1000).toFixed(1)} s\n`);
    report(
      '待办 with 1,000 pending tasks (/dept)',
      await visit(browser, system.baseUrl, dept, '/dept', 'tbody tr.ant-table-row'),
    );
    process.stderr.write('seeding 9,000 more (10,000 pending) …\n');
    t = Date.now();
    await seedPending(system.config.databaseUrl, 1000, 9000);
    process.stderr.write(`  ${((Date.now() - t) / 1000).toFixed(1)} s\n`);
    report(
      '待办 with 10,000 pending tasks (/dept)',
      await visit(browser, system.baseUrl, dept, '/dept', 'tbody tr.ant-table-row'),
    );
    const sup = { role: 'supervisor', name: '基准督查' };
    report(
      'supervision dashboard, 10,000 open (/supervision)',
      await visit(browser, system.baseUrl, sup, '/supervision', 'tbody tr.ant-table-row'),
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
