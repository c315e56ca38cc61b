import { sql } from 'kysely';
import type { DbOrTrx } from '../index';

/**
 * A department's inbox, newest first (ties by key), `after` the last notice of the page before:
 * a range on notifications_dept_idx (dept, created_at) read backwards and stopped at the page.
 */
export async function inbox(db: DbOrTrx, dept: string, limit: number, after?: { at: number; key: string }) {
  let q = db
    .selectFrom('notifications')
    .selectAll()
    .where('dept', '=', dept)
    .orderBy('created_at', 'desc')
    .orderBy('key', 'desc')
    .limit(limit);
  if (after) q = q.where(sql<boolean>`(created_at, key) < (${new Date(after.at)}, ${after.key})`);
  return q.execute();
}

/** Marks a notification delivered to its department's webhook (idempotent). */
export async function markDelivered(db: DbOrTrx, key: string, at: Date): Promise<void> {
  await db.updateTable('notifications').set({ delivered_at: at }).where('key', '=', key).execute();
}

/** Files a notice in a department's inbox (or the supervisors'), under a key of its own. */
export async function fileNotice(
  db: DbOrTrx,
  notice: { key: string; dept: string; caseNo: string; kind: string; payload: Record<string, unknown> },
): Promise<void> {
  await db
    .insertInto('notifications')
    .values({
      key: notice.key,
      dept: notice.dept,
      case_no: notice.caseNo,
      kind: notice.kind,
      payload: JSON.stringify(notice.payload),
      created_at: new Date(),
      delivered_at: null,
    })
    .execute();
}
