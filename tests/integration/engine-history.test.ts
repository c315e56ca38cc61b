import { temporal } from '@temporalio/proto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CaseStatusAttribute, LeadDeptAttribute, PendingDeptsAttribute } from '../../workflows/search-attributes';
import { caller, seedMatter } from '../support/http';
import { startSystem, unique, type TestSystem } from '../support/system';

type HistoryEvent = temporal.api.history.v1.IHistoryEvent;
const { EventType } = temporal.api.enums.v1;

/**
 * What a case costs the engine (issue 14), seen in its Temporal history: Updates and the closed
 * workflow answer with the case's version, not its whole state, and event batches are packed, while
 * the HTTP answers keep their full shape.
 */
describe('engine history of a case', () => {
  let sys: TestSystem;
  beforeAll(async () => {
    sys = await startSystem();
  });
  afterAll(async () => sys?.stop());

  const history = async (caseNo: string): Promise<HistoryEvent[]> =>
    (await sys.client.workflow.getHandle(caseNo).fetchHistory()).events ?? [];
  const payloadOf = (p: temporal.api.common.v1.IPayload | null | undefined): unknown =>
    JSON.parse(Buffer.from(p!.data!).toString('utf8'));

  it('answers each Update with the recorded version; the API still answers the whole case', async () => {
    const m = await seedMatter(sys, unique('H'));
    const submitted = await caller(sys, sys.token('window', 'WIN')).post('/api/cases', {
      matterCode: m.matterCode,
      applicant: { name: '王五' },
      materials: m.materials.map((x) => x.code),
    });
    expect(submitted.status).toBe(201);
    expect(submitted.body).toMatchObject({ status: 'accepted', missingMaterials: [] });
    const caseNo = submitted.body.caseNo as string;

    const answers = [];
    for (const dept of [...m.co, m.lead]) {
      const res = await caller(sys, sys.token('department', dept)).post(`/api/cases/${caseNo}/opinions`, {
        verdict: 'approve',
      });
      expect(res.status).toBe(200);
      answers.push(res.body);
    }
    // Each answer is the case after that opinion: the whole view, as before.
    expect(answers[0]).toMatchObject({ caseNo, status: 'in_review' });
    expect(answers[0].departments.find((d: { dept: string }) => d.dept === m.co[0])).toMatchObject({
      status: 'given',
      verdict: 'approve',
    });
    expect(answers[2]).toMatchObject({ caseNo, status: 'deciding' });
    const decided = await caller(sys, sys.token('department', m.lead)).post(`/api/cases/${caseNo}/decision`, {
      decision: 'approve',
    });
    expect(decided.status).toBe(200);
    expect(decided.body).toMatchObject({ caseNo, status: 'completed' });
    expect(decided.body.result.number).toMatch(/^XK/);

    const events = await history(caseNo);
    const outcomes = events
      .filter((e) => e.eventType === EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_COMPLETED)
      .map((e) => payloadOf(e.workflowExecutionUpdateCompletedEventAttributes!.outcome!.success!.payloads![0]));
    expect(outcomes).toHaveLength(5); // submission, three opinions, the decision
    const recorded = (await caller(sys, sys.token('supervisor')).get(`/api/cases/${caseNo}/events`)).body as {
      seq: number;
    }[];
    expect(outcomes[outcomes.length - 1]).toEqual({ seq: recorded[recorded.length - 1]!.seq });
    for (const o of outcomes) expect(Object.keys(o as object)).toEqual(['seq']);

    // Each batch is appended by a local activity in the workflow task that decided it (patch set 3):
    // one marker a batch, no activity task, one workflow task per command.
    expect(events.filter((e) => e.eventType === EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED)).toEqual([]);
    const appends = events
      .filter((e) => e.eventType === EventType.EVENT_TYPE_MARKER_RECORDED)
      .map((e) => e.markerRecordedEventAttributes!)
      .filter((a) => a.markerName === 'core_local_activity')
      .map((a) => payloadOf(a.details!['data']!.payloads![0]) as { activity_type?: string });
    expect(appends.map((a) => a.activity_type)).toEqual(Array(5).fill('appendEvents'));
    const tasks = events.filter((e) => e.eventType === EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED);
    expect(tasks).toHaveLength(5);
    // The store keeps with each command's events the Update (the API's receipt) that decided them.
    const rows = await sys.db
      .selectFrom('case_events')
      .select(['seq', 'type', 'update_id'])
      .where('case_no', '=', caseNo)
      .orderBy('seq')
      .execute();
    expect(rows.filter((r) => r.type === 'opinion_given').every((r) => typeof r.update_id === 'string')).toBe(true);
    expect(new Set(rows.filter((r) => r.type === 'opinion_given').map((r) => r.update_id)).size).toBe(3);
    // The case started with its search attributes set, and upserted only those that changed since.
    const started = events[0]!.workflowExecutionStartedEventAttributes!;
    expect(Object.keys(started.searchAttributes?.indexedFields ?? {}).sort()).toEqual(
      ['CaseAlert', 'CaseDeadline', 'CaseStatus', 'LeadDept', 'MatterCode', 'PendingDepts'].sort(),
    );
    const upserted = events
      .filter((e) => e.eventType === EventType.EVENT_TYPE_UPSERT_WORKFLOW_SEARCH_ATTRIBUTES)
      .map((e) => Object.keys(e.upsertWorkflowSearchAttributesEventAttributes!.searchAttributes!.indexedFields!));
    // No upsert repeats the values it started with (LeadDept and MatterCode never change).
    for (const names of upserted) expect(names).not.toEqual(expect.arrayContaining(['LeadDept']));
    expect(upserted.flat().filter((n) => n.startsWith('Case') || n === 'PendingDepts').length).toBeLessThanOrEqual(5);
    const described = await sys.client.workflow.getHandle(caseNo).describe();
    expect(described.typedSearchAttributes.get(CaseStatusAttribute)).toBe('completed');
    expect(described.typedSearchAttributes.get(LeadDeptAttribute)).toBe(m.lead);
    expect(described.typedSearchAttributes.get(PendingDeptsAttribute) ?? []).toEqual([]);
    const closed = events.find((e) => e.eventType === EventType.EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED)!;
    expect(payloadOf(closed.workflowExecutionCompletedEventAttributes!.result!.payloads![0])).toEqual({
      seq: recorded[recorded.length - 1]!.seq,
    });
  });
});
