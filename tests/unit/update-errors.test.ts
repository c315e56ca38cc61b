import { ServiceError, WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { describe, expect, it } from 'vitest';
import { updateNotPerformed } from '../../api/services/update-errors';

const failed = (type: string) =>
  new WorkflowUpdateFailedError('Workflow Update failed', ApplicationFailure.create({ type, message: type }));

describe('an Update the server did not perform is told from one it judged', () => {
  it('sends again what no workflow task judged', () => {
    expect(updateNotPerformed(failed('UnprocessedUpdate'))).toBe(true);
    const lostTask = Object.assign(
      new Error('Unable to perform workflow execution update due to unexpected workflow task failure.'),
      { code: 9, details: 'Update-with-Start could not be executed.' },
    );
    expect(updateNotPerformed(lostTask)).toBe(true);
  });

  it("sends again an Update whose task a killed worker took with it (the client's ServiceError around the gRPC status)", () => {
    const status = Object.assign(
      new Error(
        '9 FAILED_PRECONDITION: Unable to perform workflow execution update due to unexpected workflow task failure.',
      ),
      {
        code: 9,
        details: 'Unable to perform workflow execution update due to unexpected workflow task failure.',
        metadata: {},
      },
    );
    expect(updateNotPerformed(new ServiceError('Workflow Update failed', { cause: status }))).toBe(true);
  });

  it('never sends again a refusal, an outage or another precondition', () => {
    expect(updateNotPerformed(failed('opinion_already_given'))).toBe(false);
    expect(updateNotPerformed(Object.assign(new Error('workflow execution already completed'), { code: 9 }))).toBe(
      false,
    );
    expect(updateNotPerformed(Object.assign(new Error('unexpected workflow task failure'), { code: 14 }))).toBe(false);
    expect(updateNotPerformed(undefined)).toBe(false);
    const otherPrecondition = Object.assign(new Error('9 FAILED_PRECONDITION: workflow execution already completed'), {
      code: 9,
      metadata: {},
    });
    expect(updateNotPerformed(new ServiceError('Workflow Update failed', { cause: otherPrecondition }))).toBe(false);
  });
});
