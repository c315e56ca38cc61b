import { startThrowawaySystem } from '../../scripts/infra/throwaway-system';
import { BUILD, DEMO_DAY_MS, DEPARTMENTS, QUICK } from './system';

/**
 * The real system for the browser tests: embedded PostgreSQL, the Temporal dev server, a worker
 * and the API serving the built console, on the demo clock, with dev sign-in on. The catalog is
 * put in place through the API as an administrator would.
 */
export default async function globalSetup(): Promise<() => Promise<void>> {
  const system = await startThrowawaySystem({ demoDayMs: DEMO_DAY_MS, logLevel: 'warn', env: { DEV_LOGIN: '1' } });
  const admin = system.token({ role: 'admin', sub: 'admin1' });
  const put = async (url: string, body: unknown) => {
    const res = await fetch(system.baseUrl + url, {
      method: 'PUT',
      headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    if (!res.ok) throw new Error(`PUT ${url}: ${res.status} ${await res.text()}`);
  };
  for (const d of DEPARTMENTS) await put(`/api/departments/${d.code}`, { name: d.name });
  for (const m of [BUILD, QUICK]) await put(`/api/matters/${m.code}`, m.body);
  process.env.BROWSER_BASE_URL = system.baseUrl;
  return () => system.stop();
}
