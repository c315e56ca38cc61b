import { sql } from 'kysely';
import type { DbOrTrx } from '../index';

/**
 * The next case number (JA + Shanghai date + sequence), taken from a counter row updated inside
 * the caller's transaction: a submission that does not commit gives its number back, so the case
 * register has no gaps (a sequence's nextval would be spent by every conflict and rollback).
 */
export async function takeCaseNumber(trx: DbOrTrx): Promise<string> {
  const row = await sql<{ case_no: string }>`
    update case_number_counter set last = last + 1 where id = 1
    returning 'JA' || to_char(now() at time zone 'Asia/Shanghai', 'YYYYMMDD') || lpad(last::text, 6, '0') as case_no`.execute(
    trx,
  );
  const caseNo = row.rows[0]?.case_no;
  if (!caseNo) throw new Error('case_number_counter has no row: run the migrations');
  return caseNo;
}

/** One key of one caller, one case number, one query code. */
export async function recordCaseRequest(
  trx: DbOrTrx,
  r: { scope: string; idempotencyKey: string; caseNo: string; queryCode: string },
): Promise<void> {
  await trx
    .insertInto('case_requests')
    .values({ scope: r.scope, idempotency_key: r.idempotencyKey, case_no: r.caseNo, query_code: r.queryCode })
    .execute();
}

/** The number and query code a submission was given (a replay to the caller who made it). */
export async function caseRequestByCaseNo(db: DbOrTrx, caseNo: string) {
  return db
    .selectFrom('case_requests')
    .select(['case_no', 'query_code'])
    .where('case_no', '=', caseNo)
    .executeTakeFirst();
}
