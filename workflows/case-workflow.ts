import {
  ActivityFailure,
  ApplicationFailure,
  CancellationScope,
  allHandlersFinished,
  isCancellation,
  condition,
  continueAsNew,
  currentUpdateInfo,
  log,
  patched as patchedByMarker,
  proxyActivities,
  proxyLocalActivities,
  setHandler,
  sleep,
  upsertSearchAttributes,
  uuid4,
  workflowInfo,
} from '@temporalio/workflow';
import type { Activities } from '../activities';
import type { AppendOutcome, WebhookDelivery } from '../db/repositories/case-projection';
import type { CaseCommand } from '../domain/commands';
import { applyCommand, type Applied } from '../domain/apply';
import { lateActRefusal } from '../domain/decide';
import type { DecideContext } from '../domain/draft';
import { DomainError, EVENTS_UNRECORDABLE } from '../domain/errors';
import { packEvents } from '../domain/event-batch';
import type { CaseEvent } from '../domain/events';
import { fold } from '../domain/evolve';
import { verificationPending } from '../domain/instruments';
import { remediationOpen } from '../domain/rating';
import { holdWindow, nextTimer } from '../domain/timers';
import { CURRENT_RULES, SYSTEM_ACTOR, TERMINAL_STATUSES, type Actor, type CaseState } from '../domain/types';
import {
  calendarPublishedSignal,
  commandUpdate,
  recordedStateUpdate,
  stateQuery,
  type CaseWorkflowInput,
  type RecordedVersion,
} from './definitions';
import { PATCH_SETS, PATCHES, patchSetKnownTo } from './patches';
import { CASE_SEARCH_ATTRIBUTES, caseSearchAttributes } from './search-attributes';

const { recordEvents } = proxyActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  // The event store must eventually take every event: retry as long as it takes.
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
});

const { holdEvents } = proxyActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
});

const { currentCalendar } = proxyActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
});
const local = proxyLocalActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
});

const { deliverWebhook } = proxyActivities<Activities>({
  startToCloseTimeout: '15 seconds',
  retry: { initialInterval: '2 seconds', backoffCoefficient: 2, maximumInterval: '10 minutes' },
});

/** The event store refused a batch's data for good (never an outage: those are retried). */
function unrecordable(err: unknown): ApplicationFailure | undefined {
  // A scheduled activity's failure comes wrapped in an ActivityFailure; a local activity's is the
  // ApplicationFailure itself (appendEvents, patch l14-local-append).
  const cause = err instanceof ActivityFailure ? err.cause : err;
  if (!(cause instanceof ApplicationFailure) || cause.type !== EVENTS_UNRECORDABLE) return undefined;
  return ApplicationFailure.create({
    type: EVENTS_UNRECORDABLE,
    message: `the command's data cannot be recorded and was not applied: ${cause.message}`,
    nonRetryable: true,
  });
}

/** Commands a user may not send: submission happens at start, and time passing is ours. */
const INTERNAL_COMMANDS = new Set(['submit', 'tick', 'apply_calendar']);

/**
 * One workflow per case, id = case number. The rules live in `decide`/`evolve`; this is the durable
 * shell: it serializes commands, records every event (exactly once) before answering, and sleeps on
 * a durable timer until the next deadline the state arms.
 */
export async function caseWorkflow(input: CaseWorkflowInput): Promise<RecordedVersion> {
  // Whether this case takes a patch's new path: a case started with a patch set (PATCH_SETS) takes
  // that set's paths without a marker; anything else is asked of the history as usual.
  // Only as far as the build that ran this run's first task knew them (patches.ts, workerBuildId).
  const knownSet = patchSetKnownTo(workflowInfo().currentBuildId);
  const knowsStartFlags = knownSet >= 1;
  const takenAtStart = new Set(((input.patchSet ?? 0) <= knownSet && PATCH_SETS[input.patchSet ?? 0]) || []);
  const patched = (id: string): boolean => takenAtStart.has(id) || patchedByMarker(id);
  // Events appended by a local activity in the workflow task that decided them (patch set 3 on):
  // one task per command instead of two and an activity task. Asked of the start only (no marker).
  const localAppend = takenAtStart.has(PATCHES.localAppend);
  // The calendar this case counts with; a published or corrected year replaces it (calendarPublishedSignal).
  let time = input.carried?.time ?? input.time;
  let calendarToCheck = false;
  // The outbox protocol. `state` runs ahead: a command's events change it the moment they are
  // decided, so the next command is judged against them. They wait in `outbox` until the
  // recordEvents activity has stored them (idempotently, by case and seq), in order; `recordedSeq`
  // is the last seq known stored. An Update answers only once its events are recorded
  // (awaitRecorded), so an answer means the act is in the event store, never only in memory.
  let state: CaseState | undefined = input.carried?.state;
  let outbox: CaseEvent[] = [];
  let recordedSeq = state?.seq ?? 0;
  /** Webhook deliveries still being retried; they never hold up the case, only its closing. */
  const deliveries = new Set<Promise<void>>();
  // What a refused batch rolls back to: the state as recorded, and the states after each commit
  // not yet recorded. `epoch` counts rollbacks; a command waits on its own epoch's outcome.
  let recordedState = state;
  let unrecorded: CaseState[] = [];
  let epoch = 0;
  const refusedEpochs = new Map<number, ApplicationFailure>();
  /**
   * Local appends only. The Update that decided each unrecorded event (by seq), stored with it; and
   * what was adopted from the store: events a lost workflow task had recorded (adopt), with the
   * Updates that decided them, which answer from those events instead of deciding again.
   * `supersededEpochs`: the epochs an adoption ended, with the seq recorded when it did.
   */
  const updateOfSeq = new Map<number, string>();
  const adoptedUpdates = new Map<string, { seq: number; late?: CaseEvent }>();
  const supersededEpochs = new Map<number, number>();
  /**
   * Local appends only: a handler wants the store read before it refuses its command (flush reads it
   * with an empty append). A refusal judged against the case as this workflow knows it may be wrong:
   * a lost task may have recorded more, even this very Update (it is then answered from the store).
   */
  let storeReadWanted = false;
  /** Something for flush to do: events to record, or the store to read. */
  const toFlush = () => outbox.length > 0 || storeReadWanted;
  let ticksHeldUntil = 0;
  // The closing step is under way (the case ended); an Update that adds events then is recorded
  // before the workflow returns, under patch k15 (taken only when such an Update comes).
  let closing = false;
  let lateActsRecorded = false;
  /**
   * The next timer's events, decided ahead of its due time (patch heldTicks, domain/timers.ts
   * holdWindow) and held in PostgreSQL until then: `state` stays as it is (acts are still judged
   * before them) until they are settled — recorded (by the sweeper at the deadline, or here once
   * due) or, when an act comes first, withdrawn.
   */
  let held:
    | {
        id: string;
        dueAt: number;
        settleAt: number;
        applied: Applied;
        placed: Promise<boolean>;
        settling?: Promise<void>;
      }
    | undefined;
  /** The store refused a held batch's data: this run fires its timers on time instead. */
  let holdsRefused = false;
  let heldTicks: boolean | undefined;
  const holdsAhead = () => !holdsRefused && (heldTicks ??= patched(PATCHES.heldTicks));

  // Cases started before receipt times existed replay (and run on) without them.
  const legalTimes = patched(PATCHES.receiptTimes);

  /** Acts are judged as of their receipt (never later than now); timers as of their due time. */
  const context = (actor: Actor, receivedAt?: number): DecideContext => {
    const now = Date.now();
    if (!legalTimes) return { now, time, actor };
    return {
      now,
      time,
      actor,
      legalTimes,
      ...(receivedAt === undefined ? {} : { receivedAt: Math.min(receivedAt, now) }),
    };
  };

  const refusal = (err: DomainError) =>
    ApplicationFailure.create({
      message: err.message,
      type: err.code,
      nonRetryable: true,
    });

  /** Runs the rules; a refusal becomes a non-retryable ApplicationFailure carrying the stable code. */
  function refusingAsFailure<T>(rules: () => T): T {
    try {
      return rules();
    } catch (err) {
      if (err instanceof DomainError) throw refusal(err);
      throw err;
    }
  }

  /**
   * What the validator of the Update being handled decided, so its handler need not decide again:
   * the handler runs right after its validator (nothing else in between), against the same state.
   * On replay validators do not run and the handler decides itself: the same rules, the same result.
   */
  let validated: { updateId: string; before: CaseState | undefined; applied: Applied } | undefined;
  const decideCommand = (command: CaseCommand, actor: Actor, receivedAt?: number, basis = state): Applied =>
    refusingAsFailure(() => applyCommand(command, basis, input.submission.caseNo, context(actor, receivedAt)));

  /** What an Update waits on: its last event's seq, within the epoch (rollbacks so far) it was decided in. */
  interface Ticket {
    seq: number;
    epoch: number;
  }

  /**
   * Decides a command (or takes what its validator decided) and applies its events to `state` at
   * once, into the outbox; returns those events and what to await for them being recorded.
   */
  function commit(
    command: CaseCommand,
    actor: Actor,
    receivedAt?: number,
    decided?: Applied,
    updateId?: string,
  ): { events: CaseEvent[]; ticket: Ticket } {
    const applied = decided ?? decideCommand(command, actor, receivedAt);
    state = applied.state;
    outbox = [...outbox, ...applied.events];
    if (localAppend && updateId !== undefined) for (const e of applied.events) updateOfSeq.set(e.seq, updateId);
    if (applied.events.length) unrecorded.push(state!);
    return { events: applied.events, ticket: { seq: state?.seq ?? 0, epoch } };
  }

  /** The version once recorded; undefined when an adoption superseded the events first (decide again). */
  const awaitRecorded = async (ticket: Ticket): Promise<RecordedVersion | undefined> => {
    const superseded = () => supersededEpochs.get(ticket.epoch);
    await condition(() => recordedSeq >= ticket.seq || refusedEpochs.has(ticket.epoch) || superseded() !== undefined);
    const until = superseded();
    if (until !== undefined) return until >= ticket.seq ? { seq: ticket.seq } : undefined;
    const refusal = refusedEpochs.get(ticket.epoch);
    if (refusal && recordedSeq < ticket.seq) throw refusal;
    return { seq: ticket.seq };
  };

  /**
   * The store holds events after the last seq this case knows recorded: a workflow task of this
   * case appended them and was then lost (its completion never reached Temporal, so the Updates it
   * accepted were delivered again, maybe in another order, and decided anew). Those events are what
   * the users have seen: the case takes them as its own (this local activity's result, in the
   * history, makes that a fact of replay), drops what it decided on the older state, answers their
   * Updates from them, and decides the others again against them.
   */
  function adopt(found: Extract<AppendOutcome, { adopted: unknown }>['adopted']): void {
    log.warn('events a lost workflow task recorded adopted from the event store', {
      caseNo: input.submission.caseNo,
      recordedSeq,
      adopted: found.events.map((e) => `${e.seq}:${e.type}`),
      dropped: outbox.map((e) => `${e.seq}:${e.type}`),
    });
    supersededEpochs.set(epoch, recordedSeq);
    epoch += 1;
    outbox = [];
    unrecorded = [];
    updateOfSeq.clear();
    state = fold(found.events, recordedState);
    recordedState = state;
    recordedSeq = state.seq;
    found.events.forEach((e, i) => {
      const id = found.updateIds[i];
      if (!id) return;
      const late = e.type === 'late_act_refused' ? e : adoptedUpdates.get(id)?.late;
      adoptedUpdates.set(id, { seq: e.seq, ...(late ? { late } : {}) });
    });
    // The adopted state counts with the calendar it names (a lost task may have adopted one, or
    // this one a calendar whose event was dropped): that one, then the calendar in force again.
    if (state.time.kind === 'calendar' && (time.kind !== 'calendar' || time.calendar.version !== state.time.version)) {
      time = found.time;
      calendarToCheck = true;
    }
    deliver(found.webhooks);
  }

  /**
   * The store refused a batch's data: drop every unrecorded event (later ones were decided on top
   * of it), go back to the recorded state, and fail the commands waiting on them with a clear code.
   * The case goes on: later commands are decided against what was recorded.
   */
  function rollBack(refusal: ApplicationFailure): void {
    log.error('events refused by the event store; rolled back to the recorded state', {
      caseNo: input.submission.caseNo,
      recordedSeq,
      dropped: outbox.map((e) => `${e.seq}:${e.type}`),
    });
    refusedEpochs.set(epoch, refusal);
    epoch += 1;
    outbox = [];
    unrecorded = [];
    updateOfSeq.clear();
    state = recordedState;
    // If a timer's own events were refused, do not fire it again at once.
    ticksHeldUntil = Date.now() + 60_000;
  }

  // Submission first: an update delivered with the start is dispatched as soon as its handler is set.
  // New cases run under today's rule corrections; replayed older cases keep the rules they began with.
  if (!state)
    commit(
      patched(PATCHES.currentRules) ? { ...input.submission, rules: CURRENT_RULES } : input.submission,
      input.actor,
      input.receivedAt,
    );

  setHandler(stateQuery, () => state!);
  setHandler(calendarPublishedSignal, () => {
    calendarToCheck = true;
  });
  setHandler(recordedStateUpdate, async () => {
    for (;;) {
      const recorded = await awaitRecorded({ seq: state?.seq ?? 0, epoch });
      if (recorded) return recorded;
    }
  });
  setHandler(
    commandUpdate,
    async ({ command, actor, receivedAt }) => {
      const updateId = currentUpdateInfo()!.id;
      let decided = validated?.updateId === updateId ? validated : undefined;
      validated = undefined;
      // Decided again only when an adoption (local appends) superseded its events before they were recorded.
      let storeRead = false;
      for (;;) {
        const adopted = adoptedUpdates.get(updateId);
        if (adopted) {
          if (adopted.late?.type === 'late_act_refused') throw refusal(lateActRefusal(adopted.late));
          return { seq: adopted.seq };
        }
        // Timer events held for their deadline are settled first: the act is judged after them, or
        // (withdrawn) before them.
        if (held) await settleHeld();
        // A rollback or a settlement since the validator replaced `state`: the handler then decides again.
        const mine = decided?.before === state ? decided : undefined;
        decided = undefined;
        let committed: ReturnType<typeof commit>;
        try {
          committed = commit(command, actor, receivedAt, mine?.applied, updateId);
        } catch (err) {
          // Refused against the case as this workflow knows it: final only once the store was read
          // since (a lost task may have recorded more, this Update's own events among them).
          if (!localAppend || storeRead || !(err instanceof ApplicationFailure)) throw err;
          storeRead = true;
          storeReadWanted = true;
          await condition(() => !storeReadWanted);
          continue;
        }
        const { events, ticket } = committed;
        if (closing && events.length) lateActsRecorded ||= patched(PATCHES.closingRecordsLateActs);
        const recorded = await awaitRecorded(ticket);
        // Superseded by an adoption: the append that found it read the store.
        storeRead = true;
        if (!recorded) continue;
        // An act received in time that can no longer apply: recorded for the supervisors, refused to the caller.
        const late = events.find((e) => e.type === 'late_act_refused');
        if (late?.type === 'late_act_refused') throw refusal(lateActRefusal(late));
        return recorded;
      }
    },
    {
      validator: ({ command, actor, receivedAt }) => {
        validated = undefined;
        if (INTERNAL_COMMANDS.has(command.type))
          throw ApplicationFailure.nonRetryable(`${command.type} is not a user command`, 'invalid_command', {
            status: 400,
          });
        // Recorded already by a lost workflow task, and adopted: its handler answers from those events.
        if (adoptedUpdates.has(currentUpdateInfo()!.id)) return;
        // Judged against the state the handler will see: with timer events held past their due
        // time, the state after them (the handler records them first).
        const basis = held && Date.now() >= held.dueAt ? held.applied.state : state;
        let applied: Applied;
        try {
          applied = decideCommand(command, actor, receivedAt, basis);
        } catch (err) {
          // With local appends the store may hold more than this task knows (a lost task's events,
          // maybe this Update's own): accepted, its handler reads the store before it refuses.
          if (localAppend && !closing && err instanceof ApplicationFailure) return;
          throw err;
        }
        validated = { updateId: currentUpdateInfo()!.id, before: basis, applied };
      },
    },
  );

  /**
   * Records the outbox, batch by batch, until it is empty: commands accepted while a batch is being
   * stored add to the outbox and are taken in the next round. Only then does recordedSeq move (and
   * the Updates waiting on it answer), and the webhooks the stored events call for start. A store
   * read a handler wants (storeReadWanted) is an append too, empty when nothing waits to be recorded.
   */
  async function flush(): Promise<void> {
    while (toFlush()) {
      const batch = outbox;
      let webhooks: Awaited<ReturnType<typeof recordEvents>>;
      try {
        if (localAppend) {
          const caseNo = input.submission.caseNo;
          const outcome = await local.appendEvents(
            caseNo,
            recordedSeq,
            packEvents(caseNo, batch, (seq) => updateOfSeq.get(seq)),
          );
          // Any append reads the store: whoever wanted it read learns what it holds.
          storeReadWanted = false;
          if ('adopted' in outcome) {
            adopt(outcome.adopted);
            continue;
          }
          webhooks = outcome.recorded;
        } else webhooks = await recordEvents(input.submission.caseNo, packEvents(input.submission.caseNo, batch));
      } catch (err) {
        const refusal = unrecordable(err);
        // Before this change such a failure could not happen (the activity retried for ever).
        if (!refusal || !patched(PATCHES.unrecordableRollback)) throw err;
        rollBack(refusal);
        if (!state) {
          // The submission itself cannot be recorded: the case never began.
          await condition(allHandlersFinished);
          throw refusal;
        }
        continue;
      }
      if (!batch.length) continue; // only the store read
      outbox = outbox.slice(batch.length);
      recordedSeq = batch[batch.length - 1]!.seq;
      for (const e of batch) updateOfSeq.delete(e.seq);
      const recordedAt = unrecorded.findIndex((s) => s.seq === recordedSeq);
      if (recordedAt >= 0) {
        recordedState = unrecorded[recordedAt];
        unrecorded = unrecorded.slice(recordedAt + 1);
      }
      deliver(webhooks);
    }
    publishSearchAttributes(state!);
  }

  /** Starts the webhook deliveries recorded events call for (retried on their own, never holding up the case). */
  function deliver(webhooks: readonly WebhookDelivery[]): void {
    for (const delivery of webhooks) {
      const p: Promise<void> = deliverWebhook(delivery)
        .catch((err) => log.warn('webhook gave up', { key: delivery.key, error: String(err) }))
        .finally(() => deliveries.delete(p));
      deliveries.add(p);
    }
  }

  /**
   * The search attribute values this run last upserted or started with. A case the API started
   * with its attributes set (input.searchAttributesAtStart) begins from those, so its first batch
   * upserts only what differs; the others' first upsert sends them all (as recorded before).
   */
  const published = new Map<string, string>();
  if (knowsStartFlags && input.searchAttributesAtStart) {
    const given = workflowInfo().typedSearchAttributes;
    for (const key of CASE_SEARCH_ATTRIBUTES) published.set(key.name, JSON.stringify(given.get(key) ?? null));
  }
  function publishSearchAttributes(s: CaseState): void {
    const all = caseSearchAttributes(s);
    if (!patched(PATCHES.leanCommands)) return upsertSearchAttributes(all);
    const changed = all.filter(({ key, value }) => {
      const text = JSON.stringify(value);
      if (published.get(key.name) === text) return false;
      published.set(key.name, text);
      return true;
    });
    if (changed.length) upsertSearchAttributes(changed);
  }

  /**
   * The durable timer of the next deadline, kept armed while that deadline stays the next one, so a
   * command arriving meanwhile neither cancels nor restarts it.
   */
  let armed: { at: number; scope: CancellationScope; fired: boolean } | undefined;
  function arm(at: number): void {
    if (armed?.at === at) return;
    armed?.scope.cancel();
    const timer = { at, scope: new CancellationScope(), fired: false };
    armed = timer;
    timer.scope
      .run(() => sleep(at - Date.now()))
      .then(
        () => void (timer.fired = true),
        (err) => {
          if (!isCancellation(err)) throw err;
        },
      );
  }

  /** Counts on with the calendar in force: open deadlines touching a changed year are recomputed, timers re-armed. */
  async function adoptCalendarInForce(): Promise<void> {
    if (time.kind !== 'calendar') return; // the demo clock has no calendar
    const calendar = patched(PATCHES.calendarLocal) ? await local.currentCalendar() : await currentCalendar();
    if (calendar.version === time.calendar.version) return;
    // Held timer events were decided with the old calendar: settle them before the deadlines move.
    if (held) await settleHeld();
    commit({ type: 'apply_calendar', calendar }, SYSTEM_ACTOR);
    time = { kind: 'calendar', calendar };
  }

  /** Decides the timer due at `at` now, as of `at`, and holds its events; false when it has none. */
  function holdAhead(at: number, settleAt: number): boolean {
    const applied = refusingAsFailure(() =>
      applyCommand({ type: 'tick' }, state, input.submission.caseNo, { ...context(SYSTEM_ACTOR), now: at }),
    );
    if (!applied.events.length) return false;
    const id = uuid4();
    // Settled no later than the timer after it, which the held state arms.
    const next = nextTimer(applied.state!, time);
    const placed = holdEvents(
      id,
      input.submission.caseNo,
      packEvents(input.submission.caseNo, applied.events),
      at,
    ).then(
      () => true,
      (err: unknown) => {
        if (!unrecordable(err)) throw err;
        holdsRefused = true;
        return false;
      },
    );
    held = { id, dueAt: at, settleAt: Math.min(settleAt, next?.at ?? settleAt), applied, placed };
    return true;
  }

  /** Settles the held events (once, however many wait on it): withdrawn before their due time, recorded after. */
  function settleHeld(): Promise<void> {
    const h = held!;
    h.settling ??= (async () => {
      if (await h.placed) {
        const outcome = await local.settleHeldEvents(h.id, Date.now() >= h.dueAt ? 'record' : 'withdraw');
        if (outcome.recorded) {
          state = h.applied.state;
          recordedState = state;
          recordedSeq = state!.seq;
          deliver(outcome.webhooks);
        }
      }
      if (held === h) held = undefined;
    })();
    return h.settling;
  }

  for (;;) {
    await flush();
    // Closed for good once ended with nothing left to check (告知承诺制 keeps a completed case open for its check).
    if (TERMINAL_STATUSES.includes(state!.status) && !verificationPending(state!) && !remediationOpen(state!)) {
      // Closing: wait until every handler has answered and every webhook still being retried has
      // settled. An Update accepted meanwhile (the applicant's rating, an act received in time)
      // adds events its handler waits to see recorded: record them at once, round the loop (they
      // may even reopen the case). Cases that began closing before patch k15 keep the old wait,
      // where such an Update hung the case or was lost when the workflow returned.
      closing = true;
      const lateActs = () => lateActsRecorded && outbox.length > 0;
      await condition(() => (allHandlersFinished() && outbox.length === 0) || lateActs() || storeReadWanted);
      if (toFlush()) {
        closing = false;
        continue;
      }
      await Promise.race([Promise.all(deliveries), condition(() => lateActs() || storeReadWanted)]);
      if (lateActs() || storeReadWanted) {
        closing = false;
        continue;
      }
      // The version it closed at; the case itself is in the event store (its history keeps no copy).
      return { seq: state!.seq };
    }
    // Only with no webhook still being retried: waiting for one here would stall the whole case.
    if (workflowInfo().continueAsNewSuggested && allHandlersFinished() && deliveries.size === 0 && !held) {
      await continueAsNew<typeof caseWorkflow>({ ...input, carried: { state: state!, time } });
    }
    if (calendarToCheck) {
      calendarToCheck = false;
      await adoptCalendarInForce();
      continue;
    }
    if (held) {
      // Until the held events' settling time, unless an act or a published calendar settles them first.
      const h = held;
      if (Date.now() < h.settleAt) {
        arm(h.settleAt);
        await condition(() => toFlush() || calendarToCheck || armed!.fired || held !== h);
      }
      // Its timer fired (by Temporal's clock; a case replayed under a changed holdWindow too), or the time passed.
      if (held === h && (armed?.fired || Date.now() >= h.settleAt)) await settleHeld();
      continue;
    }
    // Sleep until the next armed deadline; wake early for events to record or a published calendar.
    const timer = nextTimer(state!, time);
    // Deadlines decided ahead: from the timer's decideAt on, its events are decided and held.
    const ahead =
      timer && outbox.length === 0 && Date.now() >= ticksHeldUntil && Date.now() < timer.at && holdsAhead()
        ? holdWindow(timer.at, input.submission.caseNo, time)
        : undefined;
    let wakeAt = timer?.at;
    if (ahead && Date.now() < ahead.decideAt) wakeAt = ahead.decideAt;
    else if (ahead && holdAhead(timer!.at, ahead.settleAt)) continue;
    // ticksHeldUntil is 0 unless refused events were rolled back (then a timer waits a minute).
    const dueAt = wakeAt === undefined ? undefined : Math.max(wakeAt, ticksHeldUntil);
    const wait = dueAt === undefined ? undefined : dueAt - Date.now();
    if (patched(PATCHES.leanCommands)) {
      if (wait !== undefined && wait > 0) {
        arm(dueAt!);
        await condition(() => toFlush() || calendarToCheck || armed!.fired);
      } else if (wait === undefined) {
        armed?.scope.cancel();
        armed = undefined;
        await condition(() => toFlush() || calendarToCheck);
      }
    } else if (wait === undefined) {
      await condition(() => outbox.length > 0 || calendarToCheck);
    } else if (wait > 0) {
      await condition(() => outbox.length > 0 || calendarToCheck, wait);
    }
    // Fire only a timer that is due, and only once everything decided so far is recorded
    // (and, after a rollback of refused events, not again for a minute).
    if (timer && Date.now() >= timer.at && Date.now() >= ticksHeldUntil && outbox.length === 0) {
      const before = state!.seq;
      // A due timer always changes the state; if a rule ever failed to, back off instead of spinning.
      commit({ type: 'tick' }, SYSTEM_ACTOR);
      if (state!.seq === before) await sleep('1 minute');
    }
  }
}
