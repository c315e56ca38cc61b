import { decide } from './decide';
import { envelope, type DecideContext } from './draft';
import type { CaseEvent, CaseEventBody } from './events';
import { evolve } from './evolve';
import type { CaseCommand } from './commands';
import type { CaseState } from './types';

/** What a command did to a case: the events decided, as they are stored, and the state after them. */
export interface Applied {
  bodies: CaseEventBody[];
  events: CaseEvent[];
  state: CaseState | undefined;
}

/**
 * decide → envelope → fold, the one sequence by which a command changes a case (the workflow, the
 * unit tests' `when`, the benchmark's simulated cases). A refusal is decide's DomainError, thrown.
 * `caseNo` names a case not yet submitted (the state carries it once it exists).
 */
export function applyCommand(
  command: CaseCommand,
  state: CaseState | undefined,
  caseNo: string,
  ctx: DecideContext,
): Applied {
  const bodies = decide(command, state, ctx);
  const events = envelope(state, state?.caseNo ?? caseNo, bodies, ctx);
  let next = state;
  for (const event of events) next = evolve(next, event);
  return { bodies, events, state: next };
}
