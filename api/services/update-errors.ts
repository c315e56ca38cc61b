import { ServiceError, WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';

/** The ApplicationFailure a failed (or refused) Update carries, if it does. */
export function updateFailure(err: unknown): ApplicationFailure | undefined {
  const cause = err instanceof WorkflowUpdateFailedError ? err.cause : undefined;
  return cause instanceof ApplicationFailure ? cause : undefined;
}

/** gRPC FAILED_PRECONDITION. */
const FAILED_PRECONDITION = 9;

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
  const status = (err instanceof ServiceError ? err.cause : err) as { code?: unknown; message?: unknown } | undefined;
  return (
    status?.code === FAILED_PRECONDITION &&
    typeof status.message === 'string' &&
    status.message.includes('unexpected workflow task failure')
  );
}
