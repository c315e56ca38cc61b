import { Context, log } from '@temporalio/activity';
import { WorkflowNotFoundError } from '@temporalio/common';
import type { Db } from '../db';
import { currentCalendar } from '../db/repositories/calendars';
import { appendAndProject, type WebhookDelivery } from '../db/repositories/case-projection';
import { markDelivered } from '../db/repositories/notifications';
import { recordDeliveryAttempt } from '../db/repositories/dashboard';
import { casesBehind, finishRepublication, openCalendarCases, recordProgress } from '../db/repositories/republications';
import { unpackEvents, type PackedEvents } from '../domain/event-batch';
import type { CaseEvent } from '../domain/events';

export interface ActivityDeps {
  db: Db;
  /** Injected so tests can point webhooks at a local receiver; defaults to global fetch. */
  fetch?: typeof fetch;
}

/** The case workflow's signal (workflows/definitions.ts calendarPublishedSignal), by name: activities do not import workflow code. */
const CALENDAR_PUBLISHED = 'calendarPublished';
/** Signals in flight at once from one page: enough to keep the server busy, few enough not to swamp it. */
const SIGNAL_CONCURRENCY = 16;

/** Activities get their dependencies from the worker, never from globals. */
export function createActivities({ db, fetch: doFetch = fetch }: ActivityDeps) {
  return {
    /**
     * Appends events to the store and updates projections and inboxes, exactly once per event.
     * Takes a packed batch, or the plain array that workflows scheduled before packing.
     */
    async recordEvents(caseNo: string, events: PackedEvents | CaseEvent[]): Promise<WebhookDelivery[]> {
      return appendAndProject(db, caseNo, unpackEvents(events));
    },

    /** The working calendar in force (shipped years with the admins' publications and corrections). */
    async currentCalendar() {
      return currentCalendar(db);
    },

    /** Calendar republication: a page of open cases, those still behind a version, progress and figures. */
    async openCalendarCases(after: string | undefined, limit: number): Promise<string[]> {
      return openCalendarCases(db, after, limit);
    },
    async casesBehindCalendar(version: string, limit: number): Promise<string[]> {
      return casesBehind(db, version, limit);
    },
    /**
     * Signals a page of cases to adopt the calendar in force, many at a time through the worker's
     * client (one activity instead of a command and two history events per case in the
     * republication's history). Signals are idempotent for a case, so a retried page is harmless; a
     * case whose workflow has ended meanwhile counts as closed.
     */
    async signalCalendarPublished(caseNos: string[]): Promise<{ signalled: number; closed: number }> {
      const { client } = Context.current();
      let signalled = 0;
      let closed = 0;
      let next = 0;
      const signalOne = async (): Promise<void> => {
        while (next < caseNos.length) {
          const id = caseNos[next++]!;
          try {
            await client.workflow.getHandle(id).signal(CALENDAR_PUBLISHED);
            signalled++;
          } catch (err) {
            if (!(err instanceof WorkflowNotFoundError)) throw err;
            closed++;
          }
          Context.current().heartbeat(next);
        }
      };
      await Promise.all(Array.from({ length: SIGNAL_CONCURRENCY }, signalOne));
      return { signalled, closed };
    },
    async recordRepublicationProgress(id: number, signalled: number, closed: number): Promise<void> {
      await recordProgress(db, id, signalled, closed);
    },
    async finishRepublication(id: number): Promise<void> {
      const r = await finishRepublication(db, id);
      if (r) log.info('calendar republication finished', { id: r.id, recomputed: r.recomputed, missed: r.missed });
    },

    /** One POST per notice; Temporal retries (backing off to every 10 minutes) until the receiver answers 2xx. */
    async deliverWebhook(delivery: WebhookDelivery): Promise<void> {
      const dept = String(delivery.payload.dept);
      try {
        const response = await doFetch(delivery.url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'idempotency-key': delivery.key },
          body: JSON.stringify(delivery.payload),
          signal: AbortSignal.timeout(10_000),
        });
        if (!response.ok) throw new Error(`webhook ${delivery.url} answered HTTP ${response.status}`);
      } catch (err) {
        // Administrators see whose deliveries are failing (GET /api/departments/deliveries).
        await recordDeliveryAttempt(db, dept, { ok: false, error: (err as Error).message }).catch(() => undefined);
        throw err;
      }
      await markDelivered(db, delivery.key, new Date());
      await recordDeliveryAttempt(db, dept, { ok: true });
      log.info('webhook delivered', { key: delivery.key });
    },
  };
}

export type Activities = ReturnType<typeof createActivities>;
