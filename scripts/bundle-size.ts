import { gzipSync } from 'node:zlib';
import { chromium } from '@playwright/test';
import Fastify from 'fastify';
import { consolePlugin } from '../api/plugins/console';
import { CHROMIUM_ARGS, findChromium } from '../tests/browser/chromium';
import { buildWeb } from './build-web';

/**
 * `npm run bundle-size`: what a browser downloads (JS and CSS, gzipped) to show each first
 * screen of the console — the sign-in page, and the home of each role once signed in. The built
 * console is served as the API serves it; the API itself is absent, which does not change the
 * code a page loads.
 */
const SCREENS: { path: string; role?: string; dept?: string }[] = [
  { path: '/signin' },
  { path: '/window', role: 'window', dept: 'WIN' },
  { path: '/window/new', role: 'window', dept: 'WIN' },
  { path: '/dept', role: 'department', dept: 'FIRE' },
  { path: '/dept/tasks/JA1', role: 'department', dept: 'FIRE' },
  { path: '/cases/JA1', role: 'supervisor' },
];

const fakeToken = (claims: object) =>
  `x.${Buffer.from(JSON.stringify({ sub: 'u', name: 'u', exp: Math.floor(Date.now() / 1000) + 3600, ...claims })).toString('base64url')}.x`;

async function main(): Promise<void> {
  buildWeb({ log: () => undefined });
  const app = Fastify();
  await app.register(consolePlugin);
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  const base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  const browser = await chromium.launch({ executablePath: findChromium(), args: CHROMIUM_ARGS });
  try {
    for (const screen of SCREENS) {
      const context = await browser.newContext();
      if (screen.role) {
        const token = fakeToken({ role: screen.role, ...(screen.dept ? { dept: screen.dept } : {}) });
        await context.addInitScript(`sessionStorage.setItem('ja.session', ${JSON.stringify(token)})`);
      }
      const page = await context.newPage();
      const sizes = { js: 0, css: 0, jsRaw: 0, cssRaw: 0, files: 0 };
      const pending: Promise<void>[] = [];
      page.on('response', (res) => {
        const type = res.request().resourceType();
        if (type !== 'script' && type !== 'stylesheet') return;
        pending.push(
          res.body().then((body) => {
            const gz = gzipSync(body).length;
            sizes.files += 1;
            if (process.env.BUNDLE_VERBOSE) console.log('   ', res.url().replace(base, ''), gz);
            if (type === 'script') {
              sizes.js += gz;
              sizes.jsRaw += body.length;
            } else {
              sizes.css += gz;
              sizes.cssRaw += body.length;
            }
          }),
        );
      });
      await page.goto(base + screen.path, { waitUntil: 'networkidle' });
      // Lazily loaded route chunks follow the first paint; let them all arrive.
      await page.waitForTimeout(2000);
      await page.waitForLoadState('networkidle');
      await Promise.all(pending);
      const kb = (n: number) => (n / 1024).toFixed(1);
      console.log(
        `${screen.path.padEnd(18)} ${String(sizes.files).padStart(3)} files  JS ${kb(sizes.js).padStart(6)} KB gz (${kb(sizes.jsRaw)} KB)  CSS ${kb(sizes.css).padStart(5)} KB gz  total ${kb(sizes.js + sizes.css)} KB gz`,
      );
      await context.close();
    }
  } finally {
    await browser.close();
    await app.close();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
