import { createHash, randomBytes } from 'node:crypto';
import type { Topic } from '../../domain/topics';
import type { Actor } from '../../domain/types';
import type { DbOrTrx } from '../index';

const hash = (ticket: string) => createHash('sha256').update(ticket).digest('hex');

export interface IssuedTicket {
  ticket: string;
  expiresAt: Date;
}

/**
 * A one-time ticket for opening a stream of `topics` as `actor`: 256 random bits, of which only a
 * hash is stored. Expired tickets are swept as new ones are issued.
 */
export async function issueStreamTicket(
  db: DbOrTrx,
  t: { actor: Actor; topics: Topic[]; ttlMs: number; streamUntil: Date; now?: Date },
): Promise<IssuedTicket> {
  const now = t.now ?? new Date();
  const ticket = randomBytes(32).toString('base64url');
  const expiresAt = new Date(now.getTime() + t.ttlMs);
  await db
    .deleteFrom('stream_tickets')
    .where('expires_at', '<', new Date(now.getTime() - 3_600_000))
    .execute();
  await db
    .insertInto('stream_tickets')
    .values({
      ticket_hash: hash(ticket),
      actor: JSON.stringify(t.actor),
      topics: JSON.stringify(t.topics),
      expires_at: expiresAt,
      stream_until: t.streamUntil,
    })
    .execute();
  return { ticket, expiresAt };
}

/** Redeems a ticket once: its actor, topics and the end of the stream; undefined when unknown, used or expired. */
export async function redeemStreamTicket(
  db: DbOrTrx,
  ticket: string,
  now = new Date(),
): Promise<{ actor: Actor; topics: Topic[]; streamUntil: Date } | undefined> {
  const row = await db
    .updateTable('stream_tickets')
    .set({ used_at: now })
    .where('ticket_hash', '=', hash(ticket))
    .where('used_at', 'is', null)
    .where('expires_at', '>', now)
    .returning(['actor', 'topics', 'stream_until'])
    .executeTakeFirst();
  if (!row) return undefined;
  return { actor: row.actor as Actor, topics: row.topics as Topic[], streamUntil: row.stream_until };
}
