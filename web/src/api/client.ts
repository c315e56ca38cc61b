import createClient, { type Middleware } from 'openapi-fetch';
import { sessionStore } from '../auth/session';
import { problemMessage } from './messages';
import type { paths } from './schema';

/** A refusal from the API, carrying its stable code and the console's Chinese sentence for it. */
export class ApiError extends Error {
  override name = 'ApiError';
  constructor(
    readonly status: number,
    readonly code: string | undefined,
    readonly detail: string | undefined,
  ) {
    super(problemMessage(code, status));
  }
}

interface ProblemBody {
  code?: unknown;
  detail?: unknown;
}

const auth: Middleware = {
  onRequest({ request }) {
    const session = sessionStore.get();
    if (session) request.headers.set('authorization', `Bearer ${session.token}`);
    return request;
  },
  async onResponse({ request, response }) {
    // A token the API no longer takes ends the session; the sign-in page brings the user back here.
    if (response.status === 401 && request.headers.has('authorization')) sessionStore.end('expired');
    return response;
  },
};

/** The one typed client, generated from the API's /openapi.json (web/src/api/schema.d.ts). */
export const api = createClient<paths>({ baseUrl: '' });
api.use(auth);

/** Unwraps an openapi-fetch answer: the data, or an ApiError (problem+json) thrown. */
export function ok<T>(result: { data?: T; error?: unknown; response: Response }): T {
  if (result.error !== undefined || result.data === undefined) {
    const body = (result.error ?? {}) as ProblemBody;
    throw new ApiError(
      result.response.status,
      typeof body.code === 'string' ? body.code : undefined,
      typeof body.detail === 'string' ? body.detail : undefined,
    );
  }
  return result.data;
}

/** The message to show for anything thrown by a query or mutation. */
export function errorMessage(err: unknown): string {
  if (err instanceof ApiError) return err.message;
  if (err instanceof TypeError) return '无法连接服务器，请检查网络后重试。';
  return problemMessage(undefined, 500);
}

type Json<P extends keyof paths, M extends keyof paths[P]> = paths[P][M] extends {
  responses: { 200: { content: { 'application/json': infer R } } };
}
  ? R
  : never;

export type CaseView = Json<'/api/cases/{caseNo}', 'get'>;
export type CaseEvent = Json<'/api/cases/{caseNo}/events', 'get'>[number];
/** A list route answers the bare array without a cursor, a page `{ items, nextCursor }` with one. */
type ItemOf<L> = L extends (infer I)[] ? I : L extends { items: (infer I)[] } ? I : never;
export type ListPage<I> = { items: I[]; nextCursor: string | null };

/** The page a list route answered to a request with a `cursor` (an array when the server predates paging). */
export function asPage<I>(list: I[] | ListPage<I>): ListPage<I> {
  return Array.isArray(list) ? { items: list, nextCursor: null } : list;
}

export type TaskView = ItemOf<Json<'/api/tasks', 'get'>>;
export type SupervisedCase = ItemOf<Json<'/api/supervision/cases', 'get'>>;
export type Matter = Json<'/api/matters/{code}', 'get'>;
export type Department = Json<'/api/departments', 'get'>[number];
