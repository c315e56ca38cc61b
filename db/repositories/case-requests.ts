import { sql } from 'kysely';
import type { DbOrTrx } from '../index';

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

/**
 * A fresh submission received in one statement: its receipt, its case number (JA + Shanghai date +
 * sequence, from a counter row held only for this statement) and its case request with the query
 * code's hash, all or nothing — so a refused or repeated submission gives no number away and the
 * case register has no gaps (a sequence's nextval would be spent by every conflict and rollback).
 * `payload` is the receipt's payload but for the case number, which is written into it at
 * `caseNoPath`. Answers the case number, or undefined when this caller's key was used before (the
 * caller reads that receipt). A concurrent first use of the same key fails the whole statement on
 * the receipts' unique key, so no number is spent on it either.
 */
export async function receiveSubmission(
  db: DbOrTrx,
  r: {
    id: string;
    scope: string;
    key: string;
    fingerprint: string;
    payload: unknown;
    caseNoPath: string[];
    receivedAt: number;
    codeHash: string;
    sealedCode: string;
  },
): Promise<string | undefined> {
  try {
    const { rows } = await sql<{ case_no: string }>`
      with number as (
        update case_number_counter set last = last + 1
        where id = 1 and not exists (select 1 from command_receipts where scope = ${r.scope} and key = ${r.key})
        returning 'JA' || to_char(now() at time zone 'Asia/Shanghai', 'YYYYMMDD') || lpad(last::text, 6, '0') as case_no
      ), receipt as (
        insert into command_receipts (id, scope, key, route, fingerprint, case_no, payload, received_at)
        select ${r.id}, ${r.scope}, ${r.key}, 'submit', ${r.fingerprint}, case_no,
               jsonb_set(${JSON.stringify(r.payload)}::jsonb, ${r.caseNoPath}::text[], to_jsonb(case_no)),
               ${new Date(r.receivedAt)}::timestamptz
        from number
        returning case_no
      ), request as (
        insert into case_requests (scope, idempotency_key, case_no, query_code, query_code_hash, query_code_sealed)
        select ${r.scope}, ${r.key}, case_no, null, ${r.codeHash}, ${r.sealedCode} from receipt
      )
      select case_no from receipt`.execute(db);
    return rows[0]?.case_no;
  } catch (err) {
    const e = err as { code?: string; constraint?: string };
    if (e.code === '23505' && e.constraint === 'command_receipts_scope_key_key') return undefined;
    throw err;
  }
}
