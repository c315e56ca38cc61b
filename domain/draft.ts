import type { TimeModel } from './calendar';
import type { CaseEvent, CaseEventBody } from './events';
import { evolve } from './evolve';
import type { Actor, CaseState } from './types';

/** What `decide` is given besides the command and the state: time and identity as data. */
export interface DecideContext {
  /** When the command is applied (workflow time). */
  now: number;
  time: TimeModel;
  actor: Actor;
  /**
   * When the API received the command (server clock): the legal time of the act. Absent for time
   * passing and for cases still on the workflow path without receipt times.
   */
  receivedAt?: number;
  /** Stamp timer-driven events with the instant their rule took effect (`effectiveAt`). */
  legalTimes?: boolean;
}

/**
 * Collects the events a command produces while keeping a scratch state up to date, so that a
 * rule can look at the consequences of the events it already emitted (e.g. "was that the last
 * opinion of the round?").
 */
export class Draft {
  readonly events: CaseEventBody[] = [];
  /** While a timer fires: its due instant, stamped on what it emits as `effectiveAt`. */
  effectiveAt: number | undefined;
  constructor(
    public state: CaseState | undefined,
    readonly ctx: DecideContext,
    private readonly caseNo: string,
  ) {}

  get current(): CaseState {
    if (!this.state) throw new Error('no case yet');
    return this.state;
  }

  /**
   * The legal "now" of what is being decided: when the act was received, or when the firing timer
   * took effect; otherwise when it is applied. Instants the rules compute start from here.
   */
  get at(): number {
    return this.effectiveAt ?? this.ctx.receivedAt ?? this.ctx.now;
  }

  emit(payload: CaseEventBody): void {
    const body: CaseEventBody =
      this.ctx.legalTimes && this.effectiveAt !== undefined ? { ...payload, effectiveAt: this.effectiveAt } : payload;
    this.events.push(body);
    this.state = evolve(this.state, stamp(body, this.caseNo, (this.state?.seq ?? 0) + 1, this.ctx));
  }
}

function stamp(body: CaseEventBody, caseNo: string, seq: number, ctx: DecideContext): CaseEvent {
  const event = { ...body, caseNo, seq, at: ctx.now, actor: ctx.actor } as CaseEvent;
  if (ctx.receivedAt !== undefined) event.receivedAt = ctx.receivedAt;
  return event;
}

/** Wraps decided event bodies with their sequence number, times (applied, received) and actor. */
export function envelope(
  state: CaseState | undefined,
  caseNo: string,
  bodies: readonly CaseEventBody[],
  ctx: DecideContext,
): CaseEvent[] {
  const first = (state?.seq ?? 0) + 1;
  return bodies.map((body, i) => stamp(body, caseNo, first + i, ctx));
}
