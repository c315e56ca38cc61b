import type { TimeModel } from './calendar';
import type { CaseEvent, CaseEventBody } from './events';
import { evolve } from './evolve';
import type { Actor, CaseState } from './types';

/** What `decide` is given besides the command and the state: time and identity as data. */
export interface DecideContext {
  now: number;
  time: TimeModel;
  actor: Actor;
}

/**
 * Collects the events a command produces while keeping a scratch state up to date, so that a
 * rule can look at the consequences of the events it already emitted (e.g. "was that the last
 * opinion of the round?").
 */
export class Draft {
  readonly events: CaseEventBody[] = [];
  constructor(
    public state: CaseState | undefined,
    readonly ctx: DecideContext,
    private readonly caseNo: string,
  ) {}

  get current(): CaseState {
    if (!this.state) throw new Error('no case yet');
    return this.state;
  }

  emit(body: CaseEventBody): void {
    this.events.push(body);
    this.state = evolve(this.state, envelope(this.state, this.caseNo, [body], this.ctx)[0]!);
  }
}

/** Wraps decided event bodies with their sequence number, time and actor. */
export function envelope(
  state: CaseState | undefined,
  caseNo: string,
  bodies: readonly CaseEventBody[],
  ctx: DecideContext,
): CaseEvent[] {
  const first = (state?.seq ?? 0) + 1;
  return bodies.map((body, i) => ({ ...body, caseNo, seq: first + i, at: ctx.now, actor: ctx.actor }) as CaseEvent);
}
