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

/** One key of one caller, one case number, one query code (kept as its keyed hash, and sealed for replays). */
export async function recordCaseRequest(
  trx: DbOrTrx,
  r: { scope: string; idempotencyKey: string; caseNo: string; codeHash: string; sealedCode: string },
): Promise<void> {
  await trx
    .insertInto('case_requests')
    .values({
      scope: r.scope,
      idempotency_key: r.idempotencyKey,
      case_no: r.caseNo,
      query_code: null,
      query_code_hash: r.codeHash,
      query_code_sealed: r.sealedCode,
    })
    .execute();
}

/** The sealed query code a submission was given, while kept (a replay to the caller who made it). */
export async function caseRequestByCaseNo(db: DbOrTrx, caseNo: string) {
  return db
    .selectFrom('case_requests')
    .select(['case_no', 'query_code_sealed', 'created_at'])
    .where('case_no', '=', caseNo)
    .executeTakeFirst();
}

/** The stored hash of a case's query code, for the applicant's look-up. */
export async function queryCodeHashOf(db: DbOrTrx, caseNo: string): Promise<string | null | undefined> {
  const row = await db
    .selectFrom('case_requests')
    .select('query_code_hash')
    .where('case_no', '=', caseNo)
    .executeTakeFirst();
  return row?.query_code_hash;
}

/** A new query code for a case (the old one stops working); false when there is no such case. */
export async function replaceQueryCode(db: DbOrTrx, caseNo: string, codeHash: string): Promise<boolean> {
  const result = await db
    .updateTable('case_requests')
    .set({ query_code_hash: codeHash, query_code_sealed: null, query_code: null })
    .where('case_no', '=', caseNo)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** Drops sealed codes older than the replay window. */
export async function dropExpiredSealedCodes(db: DbOrTrx, olderThan: Date): Promise<void> {
  await db
    .updateTable('case_requests')
    .set({ query_code_sealed: null })
    .where('query_code_sealed', 'is not', null)
    .where(sql<boolean>`created_at < ${olderThan}`)
    .execute();
}

/**
 * Rows from before codes were hashed: hash their plain code with the server key, then erase it.
 * Run by the API at start; batches, so a large table does not hold one long transaction.
 */
export async function upgradeLegacyQueryCodes(db: DbOrTrx, hash: (code: string) => string): Promise<number> {
  let done = 0;
  for (;;) {
    const rows = await db
      .selectFrom('case_requests')
      .select(['case_no', 'query_code'])
      .where('query_code', 'is not', null)
      .limit(1000)
      .execute();
    if (!rows.length) return done;
    for (const row of rows)
      await db
        .updateTable('case_requests')
        .set({ query_code_hash: hash(row.query_code!), query_code: null })
        .where('case_no', '=', row.case_no)
        .execute();
    done += rows.length;
  }
}
