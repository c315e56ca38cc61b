import { randomUUID } from 'node:crypto';
import { ApplicationFailure, Context, log } from '@temporalio/activity';
import { WorkflowNotFoundError } from '@temporalio/common';
import type { Db } from '../db';
import { currentCalendar } from '../db/repositories/calendars';
import {
  appendAfter,
  appendAndProject,
  type AppendOutcome,
  type WebhookDelivery,
} from '../db/repositories/case-projection';
import { webhookSecretOf } from '../db/repositories/catalog';
import { newWebhookSecret, postWebhook, signWebhook, WebhookRefused } from './webhooks';
import { holdBatch, settleHeldBatch, type Settlement } from '../db/repositories/held-batches';
import { fileNotice, markDelivered } from '../db/repositories/notifications';
import { recordDeliveryAttempt } from '../db/repositories/dashboard';
import { casesBehind, finishRepublication, openCalendarCases, recordProgress } from '../db/repositories/republications';
import { unpackEvents, updateIdsOf, type PackedEvents } from '../domain/event-batch';
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
  /** WEBHOOK_ALLOW_PRIVATE: webhook targets on private, loopback or link-local addresses allowed. */
  webhookAllowPrivate?: boolean;
}

/** The case workflow's signal (workflows/definitions.ts calendarPublishedSignal), by name: activities do not import workflow code. */
const CALENDAR_PUBLISHED = 'calendarPublished';
/** Signals in flight at once from one page: enough to keep the server busy, few enough not to swamp it. */
const SIGNAL_CONCURRENCY = 16;

/** Activities get their dependencies from the worker, never from globals. */
export function createActivities({ db, webhookAllowPrivate = false }: ActivityDeps) {
  /** The store refused a batch's data for good: logged, supervisors alerted, a non-retryable failure. */
  async function refusedData(caseNo: string, events: CaseEvent[], err: Error & { code: string }) {
    const what = { caseNo, seqs: events.map((e) => e.seq), types: events.map((e) => e.type), sqlState: err.code };
    log.error('event store refused the data of these events; they are dropped, the case stays as it was', {
      ...what,
      error: err.message,
    });
    // Supervisors hear of it in their inbox (only safe fields: never the refused data itself).
    await fileNotice(db, {
      key: `${caseNo}:unrecordable:${randomUUID()}`,
      dept: SUPERVISORS,
      caseNo,
      kind: 'events_unrecordable',
      payload: { ...what, error: err.message.slice(0, 300) },
    }).catch((alertErr: unknown) => log.error('could not file the alert', { caseNo, error: String(alertErr) }));
    return ApplicationFailure.create({
      type: EVENTS_UNRECORDABLE,
      message: `the event store cannot take this data (${err.message})`,
      nonRetryable: true,
      details: [{ status: 422, ...what }],
    });
  }

  return {
    /**
     * Appends events to the store and updates projections and inboxes, exactly once per event.
     * Takes a packed batch, or the plain array that workflows scheduled before packing. Data the
     * store refuses fails at once, for good (events_unrecordable), with an alert to supervisors.
     */
    async recordEvents(caseNo: string, batch: PackedEvents | CaseEvent[]): Promise<WebhookDelivery[]> {
      const events = unpackEvents(batch);
      try {
        return await appendAndProject(db, caseNo, events);
      } catch (err) {
        if (!isDataError(err)) throw err; // an outage: Temporal retries until the store is back
        throw await refusedData(caseNo, events, err);
      }
    },

    /**
     * A case's own append, by local activity (patch l14-local-append): the batch must follow
     * `afterSeq`, the last seq the case knows recorded. Events already stored after it (a workflow
     * task that recorded them and was then lost) are answered instead, for the case to adopt.
     * Data the store refuses fails for good at once, as recordEvents does.
     */
    async appendEvents(caseNo: string, afterSeq: number, batch: PackedEvents): Promise<AppendOutcome> {
      const events = unpackEvents(batch);
      try {
        return await appendAfter(db, caseNo, afterSeq, events, updateIdsOf(batch));
      } catch (err) {
        if (!isDataError(err)) throw err;
        throw await refusedData(caseNo, events, err);
      }
    },

    /**
     * A timer's events decided ahead of their due time: held for the sweeper to record at it (or the
     * case itself, when it settles). Idempotent by the hold's id. Data the store refuses fails for
     * good at once (the case then fires that timer on time instead).
     */
    async holdEvents(id: string, caseNo: string, batch: PackedEvents, dueAt: number): Promise<void> {
      try {
        await holdBatch(db, { id, caseNo, dueAt, events: unpackEvents(batch) });
      } catch (err) {
        if (!isDataError(err)) throw err;
        throw ApplicationFailure.create({ type: EVENTS_UNRECORDABLE, message: err.message, nonRetryable: true });
      }
    },

    /** The case settles its held events: withdrawn (an act came first) unless already recorded, or recorded now. */
    async settleHeldEvents(id: string, mode: 'withdraw' | 'record'): Promise<Settlement> {
      return settleHeldBatch(db, id, mode);
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
        const secret = await webhookSecretOf(db, dept, newWebhookSecret);
        const body = JSON.stringify(delivery.payload);
        const timestamp = Math.floor(Date.now() / 1000);
        const headers: Record<string, string> = {
          'content-type': 'application/json',
          'idempotency-key': delivery.key,
          'webhook-id': delivery.key,
          'webhook-timestamp': String(timestamp),
          ...(secret ? { 'webhook-signature': signWebhook(secret, timestamp, body) } : {}),
        };
        const response = await postWebhook(delivery.url, headers, body, {
          allowPrivate: webhookAllowPrivate,
          timeoutMs: 10_000,
        });
        if (response.status < 200 || response.status >= 300)
          throw new Error(`webhook ${delivery.url} answered HTTP ${response.status}`);
      } catch (err) {
        // Administrators see whose deliveries are failing (GET /api/departments/deliveries).
        await recordDeliveryAttempt(db, dept, { ok: false, error: (err as Error).message }).catch(() => undefined);
        // A refused target or a redirect will not change by retrying: give up on this notice at once.
        if (err instanceof WebhookRefused) {
          log.warn('webhook refused', { key: delivery.key, dept, code: err.code, error: err.message });
          throw ApplicationFailure.create({ type: err.code, message: err.message, nonRetryable: true });
        }
        throw err;
      }
      await markDelivered(db, delivery.key, new Date());
      await recordDeliveryAttempt(db, dept, { ok: true });
      log.info('webhook delivered', { key: delivery.key });
    },
  };
}

export type Activities = ReturnType<typeof createActivities>;
