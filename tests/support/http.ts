import { apiClient, type Reply } from '../../scripts/infra/api-client';
import type { TestSystem } from './system';

export type { Reply };

/** Calls the API as a given token, over real HTTP when the system listens, otherwise injected. */
export function caller(sys: TestSystem, token?: string) {
  const send = async <T = any>(
    method: string,
    url: string,
    payload?: unknown,
    extra: Record<string, string> = {},
  ): Promise<Reply<T>> => {
    const headers: Record<string, string> = { ...extra };
    if (token) headers.authorization = `Bearer ${token}`;
    if (payload !== undefined) headers['content-type'] = 'application/json';
    if (sys.baseUrl) return apiClient(sys.baseUrl, token).send<T>(method, url, payload, extra);
    const res = await sys.app.inject({
      method: method as 'GET',
      url,
      headers,
      payload: payload === undefined ? undefined : JSON.stringify(payload),
    });
    return {
      status: res.statusCode,
      headers: res.headers as Reply['headers'],
      body: (res.body && String(res.headers['content-type']).includes('json') ? res.json() : res.body) as T,
    };
  };
  /** Opens an event stream and answers its status and headers (a refusal's problem+json as its body), then lets it go. */
  const openStream = async <T = any>(url: string): Promise<Reply<T>> => {
    if (!sys.baseUrl) throw new Error('streams need a listening system');
    const controller = new AbortController();
    const res = await fetch(sys.baseUrl + url, {
      headers: token ? { authorization: `Bearer ${token}` } : {},
      signal: controller.signal,
    });
    const streaming = res.status === 200 && res.headers.get('content-type')?.startsWith('text/event-stream');
    const text = streaming ? '' : await res.text();
    controller.abort();
    return {
      status: res.status,
      headers: Object.fromEntries(res.headers),
      body: (text && res.headers.get('content-type')?.includes('json') ? JSON.parse(text) : text) as T,
    };
  };
  return {
    get: <T = any>(url: string) => send<T>('GET', url),
    post: <T = any>(url: string, body: unknown, headers?: Record<string, string>) =>
      send<T>('POST', url, body, headers),
    put: <T = any>(url: string, body: unknown) => send<T>('PUT', url, body),
    del: <T = any>(url: string) => send<T>('DELETE', url),
    openStream,
  };
}

export interface MatterSetup {
  matterCode: string;
  lead: string;
  co: string[];
  materials: { code: string; name: string }[];
}

/** Puts departments and a matter into the catalog under fresh codes. */
export async function seedMatter(
  sys: TestSystem,
  suffix: string,
  matter: Record<string, unknown> = {},
): Promise<MatterSetup> {
  const admin = caller(sys, sys.token('admin'));
  const lead = `PLAN${suffix}`;
  const co = [`FIRE${suffix}`, `ENV${suffix}`];
  for (const code of [lead, ...co]) {
    const res = await admin.put(`/api/departments/${code}`, { name: `dept ${code}` });
    if (res.status !== 200) throw new Error(`department ${code}: ${res.status} ${JSON.stringify(res.body)}`);
  }
  const materials = [
    { code: 'application', name: '申请表' },
    { code: 'drawings', name: '设计图纸' },
    { code: 'license', name: '营业执照' },
  ];
  const matterCode = `M${suffix}`;
  const res = await admin.put(`/api/matters/${matterCode}`, {
    name: '建设工程并联审批',
    leadDept: lead,
    coDepts: co,
    requiredMaterials: materials,
    timeLimitDays: 10,
    silencePolicy: 'deemed_approve',
    fees: [
      { dept: co[0], item: '消防审核费', maxAmountCents: 50_000 },
      { dept: lead, item: '规划许可费', maxAmountCents: 100_000 },
    ],
    ...matter,
  });
  if (res.status !== 200) throw new Error(`matter: ${res.status} ${JSON.stringify(res.body)}`);
  return { matterCode, lead, co, materials };
}

/** Polls until `check` passes (for timer-driven changes); fails with the last state seen. */
export async function eventually<T>(probe: () => Promise<T>, check: (t: T) => boolean, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: T = await probe();
  while (!check(last)) {
    if (Date.now() > deadline)
      throw new Error(`condition not met in ${timeoutMs} ms; last: ${JSON.stringify(last).slice(0, 2000)}`);
    await new Promise((r) => setTimeout(r, 200));
    last = await probe();
  }
  return last;
}

/** One saved view of each caller's own (by role name), for the routes that change or delete a view. */
export async function seedOwnViews<R extends string>(
  sys: TestSystem,
  tokens: Record<R, string>,
  suffix: string,
): Promise<Record<R, string>> {
  const ids = {} as Record<R, string>;
  for (const [role, token] of Object.entries(tokens) as [R, string][]) {
    const res = await caller(sys, token).post('/api/views', {
      screen: 'cases',
      name: `自己的视图 ${suffix}`,
      filters: {},
    });
    if (res.status !== 201) throw new Error(`view for ${role}: ${res.status} ${JSON.stringify(res.body)}`);
    ids[role] = res.body.id;
  }
  return ids;
}
