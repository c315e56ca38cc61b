/** An answer as a client program sees it: status, headers, and the body (JSON parsed when it is JSON). */
export interface Reply<T = any> {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: T;
}

export type Send = <T = any>(
  method: string,
  url: string,
  payload?: unknown,
  headers?: Record<string, string>,
) => Promise<Reply<T>>;

/**
 * The one HTTP client tests and scripts call the API with, as a user's program does: a bearer token,
 * JSON bodies, problem+json answered as a body like any other (the caller judges the status).
 */
export function apiClient(baseUrl: string, token?: string) {
  const send: Send = async (method, url, payload, headers = {}) => {
    const res = await fetch(baseUrl + url, {
      method,
      headers: {
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(payload === undefined ? {} : { 'content-type': 'application/json' }),
        ...headers,
      },
      body: payload === undefined ? undefined : JSON.stringify(payload),
    });
    const text = await res.text();
    return {
      status: res.status,
      headers: Object.fromEntries(res.headers),
      body: text && res.headers.get('content-type')?.includes('json') ? JSON.parse(text) : text,
    };
  };
  /** For set-up steps that must work: the body, or an error naming the refusal. */
  const expectOk = async <T = any>(method: string, url: string, payload?: unknown): Promise<T> => {
    const reply = await send<T>(method, url, payload);
    if (reply.status >= 300) throw new Error(`${method} ${url}: ${reply.status} ${JSON.stringify(reply.body)}`);
    return reply.body;
  };
  return {
    send,
    expectOk,
    get: <T = any>(url: string, headers?: Record<string, string>) => send<T>('GET', url, undefined, headers),
    post: <T = any>(url: string, body: unknown, headers?: Record<string, string>) =>
      send<T>('POST', url, body, headers),
    put: <T = any>(url: string, body: unknown, headers?: Record<string, string>) => send<T>('PUT', url, body, headers),
  };
}

export type ApiClient = ReturnType<typeof apiClient>;
