import { sql } from 'kysely';
import type { DbOrTrx } from '../index';

export interface CaseRequest {
  caseNo: string;
  queryCode: string;
  created: boolean;
}

/**
 * One idempotency key, one case number: the first request allocates it (JA + Shanghai date +
 * sequence); any later one with the same key gets the same number and query code back.
 */
export async function claimCaseNumber(db: DbOrTrx, idempotencyKey: string, queryCode: string): Promise<CaseRequest> {
  const inserted = await db
    .insertInto('case_requests')
    .values({
      idempotency_key: idempotencyKey,
      case_no: sql<string>`'JA' || to_char(now() at time zone 'Asia/Shanghai', 'YYYYMMDD') || lpad(nextval('case_no_seq')::text, 6, '0')`,
      query_code: queryCode,
    })
    .onConflict((oc) => oc.column('idempotency_key').doNothing())
    .returning(['case_no', 'query_code'])
    .executeTakeFirst();
  if (inserted) return { caseNo: inserted.case_no, queryCode: inserted.query_code, created: true };
  const existing = await db
    .selectFrom('case_requests')
    .select(['case_no', 'query_code'])
    .where('idempotency_key', '=', idempotencyKey)
    .executeTakeFirstOrThrow();
  return { caseNo: existing.case_no, queryCode: existing.query_code, created: false };
}
