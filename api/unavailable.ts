import { ServiceError } from '@temporalio/client';
import { HttpProblem } from './problem';

/** Seconds a client is asked to wait before retrying after a 503. */
export const RETRY_AFTER_SECONDS = 2;

/** A part of the system (PostgreSQL, Temporal) is down or did not answer in time: 503, never 500. */
export class ServiceUnavailable extends HttpProblem {
  constructor(
    readonly part: 'database' | 'temporal',
    detail: string,
  ) {
    super(503, 'service_unavailable', detail);
  }
}

/** Connection-level failures of PostgreSQL (SQLSTATE classes 08, 57P0x, 53300) and of its client. */
const PG_UNAVAILABLE_CODES = new Set(['57P01', '57P02', '57P03', '53300', '53400']);
const NET_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
]);
const PG_MESSAGES =
  /connection terminated|timeout exceeded when trying to connect|the database system is (shutting down|starting up|in recovery mode|not yet accepting connections)|terminating connection due to administrator command|Client has encountered a connection error|Connection refused/i;

function isDatabaseDown(err: unknown, depth = 0): boolean {
  if (!err || typeof err !== 'object' || depth > 4) return false;
  const e = err as { code?: unknown; message?: unknown; errors?: unknown[]; cause?: unknown };
  if (typeof e.code === 'string' && (NET_CODES.has(e.code) || PG_UNAVAILABLE_CODES.has(e.code) || /^08/.test(e.code)))
    return true;
  if (typeof e.message === 'string' && PG_MESSAGES.test(e.message)) return true;
  if (Array.isArray(e.errors) && e.errors.some((x) => isDatabaseDown(x, depth + 1))) return true;
  return isDatabaseDown(e.cause, depth + 1);
}

/** gRPC UNAVAILABLE (14), DEADLINE_EXCEEDED (4), CANCELLED (1) from the Temporal frontend. */
function isTemporalDown(err: unknown, depth = 0): boolean {
  if (!err || typeof err !== 'object' || depth > 4) return false;
  const e = err as { code?: unknown; cause?: unknown };
  if (err instanceof ServiceError && isTemporalDown(e.cause, depth + 1)) return true;
  if (typeof e.code === 'number' && [1, 4, 14].includes(e.code)) return true;
  return isTemporalDown(e.cause, depth + 1);
}

/** The 503 an error stands for, when it means a part is down; undefined for anything else. */
export function unavailableOf(err: unknown): ServiceUnavailable | undefined {
  if (err instanceof ServiceUnavailable) return err;
  if (isTemporalDown(err))
    return new ServiceUnavailable('temporal', 'the workflow service is unreachable; retry later');
  if (isDatabaseDown(err)) return new ServiceUnavailable('database', 'the database is unreachable; retry later');
  return undefined;
}
