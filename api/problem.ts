/** An HTTP refusal as RFC 9457 problem+json, with a stable machine `code`. */
export class HttpProblem extends Error {
  override name = 'HttpProblem';
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  409: 'Conflict',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
};

export function problemBody(status: number, code: string, detail: string) {
  return { type: `/problems/${code}`, title: TITLES[status] ?? 'Error', status, detail, code };
}

export const unauthorized = (detail = 'a valid bearer token is required') =>
  new HttpProblem(401, 'unauthorized', detail);
export const forbiddenRole = (detail: string) => new HttpProblem(403, 'forbidden_role', detail);
export const caseNotFound = () => new HttpProblem(404, 'case_not_found', 'no such case');
