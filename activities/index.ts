import { randomUUID } from 'node:crypto';
import { ApplicationFailure, log } from '@temporalio/activity';
import type { Db } from '../db';
import { appendAndProject, type WebhookDelivery } from '../db/repositories/case-projection';
import type { CaseEvent } from '../domain/events';
import { SUPERVISORS } from '../domain/notifications';
import { EVENTS_UNRECORDABLE } from '../domain/errors';

/**
 * PostgreSQL refusing the data itself (SQLSTATE class 22, data exception: a NUL byte, a lone
 * surrogate's escape in jsonb, a value too long; 54000, a value too large for an index). Retrying
 * cannot help: the same events would be refused again for ever.
 */
function isDataError(err: unknown): err is Error & { code: string } {
  const code = (err as { code?: unknown })?.code;
  return typeof code === 'string' && (code.startsWith('22') || code === '54000');
}

export interface ActivityDeps {
  db: Db;
  /** Injected so tests can point webhooks at a local receiver; defaults to global fetch. */
  fetch?: typeof fetch;
}

/** Activities get their dependencies from the worker, never from globals. */
export function createActivities({ db, fetch: doFetch = fetch }: ActivityDeps) {
  return {
    /** Appends events to the store and updates projections and inboxes, exactly once per event. */
    async recordEvents(caseNo: string, events: CaseEvent[]): Promise<WebhookDelivery[]> {
      try {
        return await appendAndProject(db, caseNo, events);
      } catch (err) {
        if (!isDataError(err)) throw err; // an outage: Temporal retries until the store is back
        const what = { caseNo, seqs: events.map((e) => e.seq), types: events.map((e) => e.type), sqlState: err.code };
        log.error('event store refused the data of these events; they are dropped, the case stays as it was', {
          ...what,
          error: err.message,
        });
        // Supervisors hear of it in their inbox (only safe fields: never the refused data itself).
        await db
          .insertInto('notifications')
          .values({
            key: `${caseNo}:unrecordable:${randomUUID()}`,
            dept: SUPERVISORS,
            case_no: caseNo,
            kind: 'events_unrecordable',
            payload: JSON.stringify({ ...what, error: err.message.slice(0, 300) }),
            created_at: new Date(),
            delivered_at: null,
          })
          .execute()
          .catch((alertErr: unknown) => log.error('could not file the alert', { caseNo, error: String(alertErr) }));
        throw ApplicationFailure.create({
          type: EVENTS_UNRECORDABLE,
          message: `the event store cannot take this data (${err.message})`,
          nonRetryable: true,
          details: [{ status: 422, ...what }],
        });
      }
    },

    /** One POST per notice; Temporal retries (backing off to every 10 minutes) until the receiver answers 2xx. */
    async deliverWebhook(delivery: WebhookDelivery): Promise<void> {
      const response = await doFetch(delivery.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'idempotency-key': delivery.key },
        body: JSON.stringify(delivery.payload),
        signal: AbortSignal.timeout(10_000),
      });
      if (!response.ok) throw new Error(`webhook ${delivery.url} answered HTTP ${response.status}`);
      await db.updateTable('notifications').set({ delivered_at: new Date() }).where('key', '=', delivery.key).execute();
      log.info('webhook delivered', { key: delivery.key });
    },
  };
}

export type Activities = ReturnType<typeof createActivities>;
