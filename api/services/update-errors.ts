import { WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';

/** The ApplicationFailure a failed (or refused) Update carries, if it does. */
export function updateFailure(err: unknown): ApplicationFailure | undefined {
  const cause = err instanceof WorkflowUpdateFailedError ? err.cause : undefined;
  return cause instanceof ApplicationFailure ? cause : undefined;
}

/** gRPC FAILED_PRECONDITION. */
const FAILED_PRECONDITION = 9;

/** How deep to look for the gRPC status: the client wraps it once (ServiceError → its cause). */
const CAUSE_DEPTH = 4;

/**
 * The server did not perform the Update: the workflow task it handed it to was lost or superseded
 * before answering (seen when many Updates meet local appends, patch l14-local-append, and when a
 * worker dies with the task). Either it rejects the Update as unprocessed ("UnprocessedUpdate"), or
 * fails the call with FAILED_PRECONDITION "…due to unexpected workflow task failure" — raw for an
 * update-with-start, wrapped in the client's ServiceError for an Update. Never judged, so safe to
 * send again; an act such a task did record is answered from the store by the case.
 */
export function updateNotPerformed(err: unknown): boolean {
  if (updateFailure(err)?.type === 'UnprocessedUpdate') return true;
  let e: unknown = err;
  for (let depth = 0; e && depth < CAUSE_DEPTH; depth++) {
    const { code, message, cause } = e as { code?: unknown; message?: unknown; cause?: unknown };
    if (
      code === FAILED_PRECONDITION &&
      typeof message === 'string' &&
      message.includes('unexpected workflow task failure')
    )
      return true;
    e = cause;
  }
  return false;
}
