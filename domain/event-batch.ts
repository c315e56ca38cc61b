import type { CaseEvent, CaseEventBody } from './events';
import type { Actor } from './types';

/**
 * An event batch as the workflow hands it to the event store: consecutive events of one command
 * share their case, time and actor, so each run of them carries that envelope once (the batch is
 * kept in the case's history, where the repeated envelope was a third of its size).
 */
export interface PackedEvents {
  caseNo: string;
  runs: {
    seq: number;
    at: number;
    actor: Actor;
    /** The Update whose command decided the run's events (cases appending by local activity). */
    updateId?: string;
    bodies: CaseEventBody[];
  }[];
}

/** `updateOf` names the Update that decided an event (by its seq), for the store to keep with it. */
export function packEvents(
  caseNo: string,
  events: readonly CaseEvent[],
  updateOf: (seq: number) => string | undefined = () => undefined,
): PackedEvents {
  const runs: PackedEvents['runs'] = [];
  for (const event of events) {
    const { caseNo: eventCase, seq, at, actor, ...body } = event;
    if (eventCase !== caseNo) throw new Error(`event ${seq} of ${eventCase} in a batch of ${caseNo}`);
    const updateId = updateOf(seq);
    const last = runs[runs.length - 1];
    if (
      last &&
      last.at === at &&
      last.updateId === updateId &&
      sameActor(last.actor, actor) &&
      last.seq + last.bodies.length === seq
    )
      last.bodies.push(body as CaseEventBody);
    else
      runs.push({ seq, at, actor, ...(updateId === undefined ? {} : { updateId }), bodies: [body as CaseEventBody] });
  }
  return { caseNo, runs };
}

/** The Update of each event of a batch, in the order unpackEvents gives them (null: none). */
export function updateIdsOf(batch: PackedEvents): (string | null)[] {
  return batch.runs.flatMap((run) => run.bodies.map(() => run.updateId ?? null));
}

/** The events again; a plain array (what workflows before packing sent) is taken as it is. */
export function unpackEvents(batch: PackedEvents | readonly CaseEvent[]): CaseEvent[] {
  if (Array.isArray(batch)) return [...(batch as readonly CaseEvent[])];
  const { caseNo, runs } = batch as PackedEvents;
  return runs.flatMap((run) =>
    run.bodies.map((body, i) => ({ ...body, caseNo, seq: run.seq + i, at: run.at, actor: run.actor }) as CaseEvent),
  );
}

const sameActor = (a: Actor, b: Actor) => a === b || JSON.stringify(a) === JSON.stringify(b);
