import { randomUUID } from 'node:crypto';
import { Connection } from '@temporalio/client';
import Long from 'long';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { ensureSearchAttributes } from '../../worker/search-attributes';
import { eventually } from '../support/http';

describe('the worker registers the case search attributes a Temporal server lacks', () => {
  let connection: Connection;
  beforeAll(async () => {
    connection = await Connection.connect({ address: inject('temporalAddress') });
  });
  afterAll(async () => connection?.close());

  it('adds them to a namespace without them, and then leaves them alone', async () => {
    const namespace = `fresh-${randomUUID().slice(0, 8)}`;
    await connection.workflowService.registerNamespace({
      namespace,
      workflowExecutionRetentionPeriod: { seconds: Long.fromNumber(86_400) },
    });
    const added = await eventually(
      () => ensureSearchAttributes(connection, namespace).catch(() => null),
      (a) => a !== null,
      20_000,
    );
    expect(added!.sort()).toEqual([
      'CaseAlert',
      'CaseDeadline',
      'CaseStatus',
      'LeadDept',
      'MatterCode',
      'PendingDepts',
    ]);
    const listed = await connection.operatorService.listSearchAttributes({ namespace });
    expect(Object.keys(listed.customAttributes ?? {})).toEqual(expect.arrayContaining(added!));
    expect(await ensureSearchAttributes(connection, namespace)).toEqual([]);
    expect(await ensureSearchAttributes(connection, 'default')).toEqual([]);
  });
});
