import type { DbOrTrx } from '../index';

/** A department's inbox, newest first. */
export async function inbox(db: DbOrTrx, dept: string, limit: number) {
  return db
    .selectFrom('notifications')
    .selectAll()
    .where('dept', '=', dept)
    .orderBy('created_at', 'desc')
    .orderBy('key')
    .limit(limit)
    .execute();
}

/** Marks a notification delivered to its department's webhook (idempotent). */
export async function markDelivered(db: DbOrTrx, key: string, at: Date): Promise<void> {
  await db.updateTable('notifications').set({ delivered_at: at }).where('key', '=', key).execute();
}
