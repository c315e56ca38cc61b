import { randomUUID } from 'node:crypto';
import { apiClient, type ApiClient, type Reply } from '../../scripts/infra/api-client';
import { staffTokenSigner } from '../../scripts/infra/staff-token';

/** The secret the cluster's API instances are started with in this tier. */
export const CLUSTER_JWT_SECRET = 'cluster-test-secret-0123456789abcdef0123';
const sign = staffTokenSigner({ jwtSecret: CLUSTER_JWT_SECRET });

export type Role = 'window' | 'department' | 'supervisor' | 'admin';
export const token = (role: Role, dept?: string) => sign({ role, ...(dept ? { dept } : {}) });

export type { Reply };

/** A user's program calling one API instance over HTTP, as one role. */
export const client = (baseUrl: string, bearer: string) => apiClient(baseUrl, bearer);

/**
 * Sends a command as a careful client does (api.md, "Retries and outages"): under one Idempotency-Key,
 * sent again with that key while the answer is 503 (a part down, or a killed worker's cases not yet
 * taken over), so the act is applied once and its outcome learnt. Bounded: two minutes.
 */
export async function sendCommand(api: ApiClient, url: string, body: unknown): Promise<Reply> {
  const key = randomUUID();
  const deadline = Date.now() + 120_000;
  for (;;) {
    const reply = await api.post(url, body, { 'Idempotency-Key': key });
    if (reply.status !== 503 || Date.now() > deadline) return reply;
    const retryAfter = Number(reply.headers['retry-after'] ?? 1);
    await new Promise((r) => setTimeout(r, Math.min(Math.max(retryAfter, 0.2), 2) * 1000));
  }
}

export function expectStatus(reply: Reply, status: number, what: string): Reply {
  if (reply.status !== status)
    throw new Error(`${what}: expected ${status}, got ${reply.status} ${JSON.stringify(reply.body).slice(0, 500)}`);
  return reply;
}

/** Runs `task` over `items`, at most `concurrency` at a time. */
export async function inPool<T, R>(items: T[], concurrency: number, task: (item: T, index: number) => Promise<R>) {
  const results: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        results[i] = await task(items[i]!, i);
      }
    }),
  );
  return results;
}

/** Polls until `check` passes; fails with the last value seen. */
export async function eventually<T>(probe: () => Promise<T>, check: (t: T) => boolean, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: T | undefined;
  let error: unknown;
  for (;;) {
    try {
      last = await probe();
      if (check(last)) return last;
    } catch (err) {
      error = err;
    }
    if (Date.now() > deadline)
      throw new Error(
        `condition not met in ${timeoutMs} ms; last: ${JSON.stringify(last)?.slice(0, 1500)} ${error ? String(error) : ''}`,
      );
    await new Promise((r) => setTimeout(r, 300));
  }
}
