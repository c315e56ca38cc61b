import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { Db, DbOrTrx } from '../index';

export interface NewReceipt {
  scope: string;
  key: string;
  route: string;
  fingerprint: string;
  caseNo: string | null;
  payload: unknown;
  receivedAt: number;
}

/** A command as durably received (api.md, "Retries and outages"). */
export interface CommandReceipt extends NewReceipt {
  id: string;
  answer?: { status: number; body: unknown };
}

type Row = {
  id: string;
  scope: string;
  key: string;
  route: string;
  fingerprint: string;
  case_no: string | null;
  payload: unknown;
  received_at: Date;
  state: string;
  response_status: number | null;
  response_body: unknown;
};

const COLUMNS = [
  'id',
  'scope',
  'key',
  'route',
  'fingerprint',
  'case_no',
  'payload',
  'received_at',
  'state',
  'response_status',
  'response_body',
] as const;

function fromRow(row: Row): CommandReceipt {
  return {
    id: row.id,
    scope: row.scope,
    key: row.key,
    route: row.route,
    fingerprint: row.fingerprint,
    caseNo: row.case_no,
    payload: row.payload,
    receivedAt: row.received_at.getTime(),
    ...(row.state === 'answered' && row.response_status !== null
      ? { answer: { status: row.response_status, body: row.response_body } }
      : {}),
  };
}

/**
 * Records a command as received, once per caller and key. Returns the receipt and whether this
 * call created it; a key already used returns the first receipt (the caller compares fingerprints).
 */
export async function receiveCommand(db: DbOrTrx, r: NewReceipt): Promise<{ receipt: CommandReceipt; fresh: boolean }> {
  const inserted = await db
    .insertInto('command_receipts')
    .values({
      id: randomUUID(),
      scope: r.scope,
      key: r.key,
      route: r.route,
      fingerprint: r.fingerprint,
      case_no: r.caseNo,
      payload: JSON.stringify(r.payload),
      received_at: new Date(r.receivedAt),
    })
    .onConflict((oc) => oc.columns(['scope', 'key']).doNothing())
    .returning(COLUMNS)
    .executeTakeFirst();
  if (inserted) return { receipt: fromRow(inserted as Row), fresh: true };
  const existing = await db
    .selectFrom('command_receipts')
    .select(COLUMNS)
    .where('scope', '=', r.scope)
    .where('key', '=', r.key)
    .executeTakeFirstOrThrow();
  return { receipt: fromRow(existing as Row), fresh: false };
}

/**
 * Records a command on an existing case as received, in one statement on the usual path: the
 * receipt is inserted only if the case exists. Nothing inserted means the case is unknown or the key
 * was used before; one more read tells which (a repeat's answer needs its receipt anyway).
 * Returns undefined for an unknown case, whether or not the key was used before.
 */
export async function receiveCaseCommand(
  db: DbOrTrx,
  r: NewReceipt & { caseNo: string },
): Promise<{ receipt: CommandReceipt; fresh: boolean } | undefined> {
  const inserted = await db
    .insertInto('command_receipts')
    .columns(['id', 'scope', 'key', 'route', 'fingerprint', 'case_no', 'payload', 'received_at'])
    .expression(
      db
        .selectNoFrom((eb) => [
          eb.val(randomUUID()).as('id'),
          eb.val(r.scope).as('scope'),
          eb.val(r.key).as('key'),
          eb.val(r.route).as('route'),
          eb.val(r.fingerprint).as('fingerprint'),
          eb.val(r.caseNo).as('case_no'),
          sql<unknown>`${JSON.stringify(r.payload)}::jsonb`.as('payload'),
          sql<Date>`${new Date(r.receivedAt)}::timestamptz`.as('received_at'),
        ])
        .where((eb) => eb.exists(eb.selectFrom('cases').select('cases.case_no').where('cases.case_no', '=', r.caseNo))),
    )
    .onConflict((oc) => oc.columns(['scope', 'key']).doNothing())
    .returning(COLUMNS)
    .executeTakeFirst();
  if (inserted) return { receipt: fromRow(inserted as Row), fresh: true };
  const existing = await db
    .selectFrom('command_receipts')
    .select(COLUMNS)
    .select(({ exists, selectFrom }) =>
      exists(selectFrom('cases').select('cases.case_no').where('cases.case_no', '=', r.caseNo)).as('case_exists'),
    )
    .where('scope', '=', r.scope)
    .where('key', '=', r.key)
    .executeTakeFirst();
  if (!existing?.case_exists) return undefined;
  return { receipt: fromRow(existing as Row), fresh: false };
}

/** The receipt of this caller's key, if it was used. */
export async function receiptByKey(db: DbOrTrx, scope: string, key: string): Promise<CommandReceipt | undefined> {
  const row = await db
    .selectFrom('command_receipts')
    .select(COLUMNS)
    .where('scope', '=', scope)
    .where('key', '=', key)
    .executeTakeFirst();
  return row ? fromRow(row as Row) : undefined;
}

/**
 * Stores a receipt's answer. The first answer wins: when another attempt (a concurrent retry, the
 * applier) answered first, that answer is returned instead, so every caller tells the same story.
 */
export async function answerReceipt(
  db: DbOrTrx,
  id: string,
  answer: { status: number; body: unknown },
): Promise<{ status: number; body: unknown }> {
  const updated = await db
    .updateTable('command_receipts')
    .set({
      state: 'answered',
      response_status: answer.status,
      response_body: JSON.stringify(answer.body),
      answered_at: new Date(),
    })
    .where('id', '=', id)
    .where('state', '=', 'received')
    .returning('id')
    .executeTakeFirst();
  if (updated) return answer;
  const row = await db
    .selectFrom('command_receipts')
    .select(['response_status', 'response_body'])
    .where('id', '=', id)
    .executeTakeFirstOrThrow();
  return { status: row.response_status!, body: row.response_body };
}

/**
 * Receipts received but not answered, oldest first: received at least `minAgeMs` ago and not
 * attempted within a back-off that grows with their attempts (1 s per attempt, at most 10 s).
 * Claimed with SKIP LOCKED and marked attempted, so two API processes do not take the same ones.
 */
export async function claimPendingReceipts(db: Db, minAgeMs: number, limit: number): Promise<CommandReceipt[]> {
  return db.transaction().execute(async (trx) => {
    const rows = await trx
      .selectFrom('command_receipts')
      .select(COLUMNS)
      .where('state', '=', 'received')
      .where('received_at', '<', sql<Date>`now() - make_interval(secs => ${minAgeMs / 1000})`)
      .where((eb) =>
        eb.or([
          eb('attempted_at', 'is', null),
          eb('attempted_at', '<', sql<Date>`now() - least(attempts, 10) * interval '1 second'`),
        ]),
      )
      .orderBy('received_at')
      .limit(limit)
      .forUpdate()
      .skipLocked()
      .execute();
    if (rows.length)
      await trx
        .updateTable('command_receipts')
        .set((eb) => ({ attempts: eb('attempts', '+', 1), attempted_at: new Date() }))
        .where(
          'id',
          'in',
          rows.map((r) => r.id),
        )
        .execute();
    return rows.map((r) => fromRow(r as Row));
  });
}

/** Forgets answered receipts older than `keepMs` (api.md: keys are kept at least 24 h). */
export async function purgeAnsweredReceipts(db: DbOrTrx, keepMs: number): Promise<number> {
  const result = await db
    .deleteFrom('command_receipts')
    .where('state', '=', 'answered')
    .where('received_at', '<', new Date(Date.now() - keepMs))
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}
