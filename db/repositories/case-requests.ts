import { sql } from 'kysely';
import type { DbOrTrx } from '../index';

export interface CaseRequest {
  caseNo: string;
  created: boolean;
  /** The sealed query code (for a replay to the submitting window), while still kept. */
  sealedCode: string | null;
  submittedBy: { sub: string | null; dept: string | null };
  createdAt: Date;
}

export interface NewCaseRequest {
  codeHash: string;
  sealedCode: string;
  submittedBy: { sub: string; dept?: string };
}

const COLUMNS = ['case_no', 'query_code_sealed', 'submitted_by_sub', 'submitted_by_dept', 'created_at'] as const;
const toRequest = (
  row: {
    case_no: string;
    query_code_sealed: string | null;
    submitted_by_sub: string | null;
    submitted_by_dept: string | null;
    created_at: unknown;
  },
  created: boolean,
): CaseRequest => ({
  caseNo: row.case_no,
  created,
  sealedCode: row.query_code_sealed,
  submittedBy: { sub: row.submitted_by_sub, dept: row.submitted_by_dept },
  createdAt: new Date(row.created_at as Date),
});

/**
 * One idempotency key, one case number: the first request allocates it (JA + Shanghai date +
 * sequence) with its query code's hash; any later one with the same key gets the same number.
 */
export async function claimCaseNumber(
  db: DbOrTrx,
  idempotencyKey: string,
  fresh: NewCaseRequest,
): Promise<CaseRequest> {
  const inserted = await db
    .insertInto('case_requests')
    .values({
      idempotency_key: idempotencyKey,
      case_no: sql<string>`'JA' || to_char(now() at time zone 'Asia/Shanghai', 'YYYYMMDD') || lpad(nextval('case_no_seq')::text, 6, '0')`,
      query_code: null,
      query_code_hash: fresh.codeHash,
      query_code_sealed: fresh.sealedCode,
      submitted_by_sub: fresh.submittedBy.sub,
      submitted_by_dept: fresh.submittedBy.dept ?? null,
    })
    .onConflict((oc) => oc.column('idempotency_key').doNothing())
    .returning(COLUMNS)
    .executeTakeFirst();
  if (inserted) return toRequest(inserted, true);
  const existing = await db
    .selectFrom('case_requests')
    .select(COLUMNS)
    .where('idempotency_key', '=', idempotencyKey)
    .executeTakeFirstOrThrow();
  return toRequest(existing, false);
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
