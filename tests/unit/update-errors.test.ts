import { WorkflowUpdateFailedError } from '@temporalio/client';
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

  it('never sends again a refusal, an outage or another precondition', () => {
    expect(updateNotPerformed(failed('opinion_already_given'))).toBe(false);
    expect(updateNotPerformed(Object.assign(new Error('workflow execution already completed'), { code: 9 }))).toBe(
      false,
    );
    expect(updateNotPerformed(Object.assign(new Error('unexpected workflow task failure'), { code: 14 }))).toBe(false);
    expect(updateNotPerformed(undefined)).toBe(false);
  });
});
