import { apiClient } from '../../scripts/infra/api-client';
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
  const put = (url: string, body: unknown) => apiClient(system.baseUrl, admin).expectOk('PUT', url, body);
  for (const d of DEPARTMENTS) await put(`/api/departments/${d.code}`, { name: d.name });
  for (const m of [BUILD, QUICK]) await put(`/api/matters/${m.code}`, m.body);
  process.env.BROWSER_BASE_URL = system.baseUrl;
  return () => system.stop();
}
