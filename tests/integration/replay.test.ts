import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Worker } from '@temporalio/worker';
import { inject, describe, expect, it } from 'vitest';
import { PATCHES } from '../../workflows/patches';
import { HISTORIES_DIR } from '../support/histories';

/**
 * Recorded histories of the main scenarios replayed against today's workflow code: a change that
 * would break cases already running (non-determinism) fails here. Re-record deliberately with
 * `npm run record-histories` only when old histories no longer need to replay.
 */
describe('replay of recorded case histories', () => {
  const files = readdirSync(HISTORIES_DIR)
    .filter((f) => f.endsWith('.json'))
    .sort();
  /** The histories of patch set 3, recorded under local appends (patch l14-local-append). */
  const SET_3 = [
    // Patch set 3 (set 2 and l14-local-append): event batches appended by the local activity
    // appendEvents in the workflow task that decided them; the thin path, and a deadline decided
    // ahead and held (recorded by the sweeper; withdrawn by an opinion first).
    'thin-path-patch-set-3.json',
    'held-deadline-set-3.json',
    'held-deadline-withdrawn-set-3.json',
    // Patch set 3, events a lost workflow task recorded (tests/integration/lost-task-adoption.test.ts)
    // adopted from the store: its Update delivered again and answered from them; another Update
    // first, decided again on top of them, then the lost one's, and the case to its decision; a
    // command they made invalid, refused.
    'lost-task-adopted.json',
    'lost-task-adopted-reordered.json',
    'lost-task-adopted-refused.json',
    // Those three were recorded by the build before refusals waited for a read of the store; with it:
    // the lost task's decision delivered before the opinion it followed (both in one workflow
    // task), answered from the store; a decision the lost task's opinion made valid, decided after
    // a read of the store; and the refused commands again, each refused only after that read.
    'lost-task-adopted-dependent.json',
    'lost-task-store-read.json',
    'lost-task-refused-after-store-read.json',
    // Patch set 3: data the store refuses, failing the local append (unwrapped, unlike a scheduled
    // activity's failure), rolled back and refused; the case goes on.
    'events-unrecordable-set-3.json',
  ];
  /** A recorded history's events, as `temporal workflow show --output json` writes them. */
  const historyOf = (f: string) =>
    (JSON.parse(readFileSync(path.join(HISTORIES_DIR, f), 'utf8')) as { events: Record<string, any>[] }).events;

  it('has recorded histories of the main scenarios', () => {
    expect(files).toEqual(
      expect.arrayContaining([
        'thin-path.json',
        'deemed-consent.json',
        'supplement-round.json',
        'escalate-only.json',
        'negative-filing.json',
        'payment-expiry.json',
        'events-unrecordable.json', // the rollback of refused events, behind patch i15-events-unrecordable-rollback
        // Recorded under patch i14-lean-commands (steady deadline timer, changed search attributes only).
        'thin-path-lean.json',
        'escalate-only-lean.json',
        'negative-filing-lean.json',
        'payment-expiry-lean.json',
        // A real-calendar case adopting a republished year, and the republication that signalled it,
        // both recorded before patches j12-calendar-local-activity and j12-republication-signal-by-activity.
        'calendar-adopted.json',
        'calendar-republication.json',
        // Started with patch set 1 (workflows/patches.ts PATCH_SETS: those paths without markers) and its
        // search attributes set (input.searchAttributesAtStart: upserts only changes); and, applied
        // later from its receipt, with the patch set only.
        'thin-path-patch-set.json',
        'submission-applied-later.json',
        // Patch set 2 (set 1 and k14-held-ticks); set 1's histories replay with the held ticks asked of them.
        'thin-path-patch-set-2.json',
        // Under patch k15-closing-records-late-acts: a rating accepted while a webhook was retried at closing.
        'closing-window-rating.json',
        ...SET_3,
      ]),
    );
  });

  it('the closing-window history holds the k15 path: an Update accepted while closing, recorded, then the close', () => {
    const events = historyOf('closing-window-rating.json');
    const patch = (e: Record<string, any>) =>
      Buffer.from(String(e.markerRecordedEventAttributes?.details?.['patch-data']?.payloads?.[0]?.data ?? ''), 'base64')
        .toString()
        .includes(PATCHES.closingRecordsLateActs);
    const marker = events.findIndex(patch);
    expect(marker).toBeGreaterThan(0);
    // The marker is taken in the task that accepts the Update, after the case's webhook delivery began.
    const before = events.slice(0, marker).map((e) => e.activityTaskScheduledEventAttributes?.activityType?.name);
    expect(before).toContain('deliverWebhook');
    expect(events[marker - 1]!.eventType).toBe('EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED');
    const after = events
      .slice(marker)
      .map((e) => e.activityTaskScheduledEventAttributes?.activityType?.name ?? e.eventType);
    expect(after.indexOf('recordEvents')).toBeGreaterThan(0);
    expect(after.indexOf('EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_COMPLETED')).toBeGreaterThan(
      after.indexOf('recordEvents'),
    );
    expect(after.at(-1)).toBe('EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED');
  });

  it('the calendar histories hold the paths before the j12 patches, so replaying them tests those paths', () => {
    const events = historyOf;
    const activities = (f: string) =>
      events(f).map((e) => e.activityTaskScheduledEventAttributes?.activityType?.name as string | undefined);
    expect(activities('calendar-adopted.json')).toContain('currentCalendar');
    expect(events('calendar-adopted.json').some((e) => e.eventType === 'EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED')).toBe(
      true,
    );
    expect(
      events('calendar-republication.json').some(
        (e) => e.eventType === 'EVENT_TYPE_SIGNAL_EXTERNAL_WORKFLOW_EXECUTION_INITIATED',
      ),
    ).toBe(true);
    expect(activities('calendar-republication.json')).not.toContain('signalCalendarPublished');
  });

  it('the patch-set histories hold the start-flag paths, and the older ones the paths before them', () => {
    const started = (f: string) => historyOf(f)[0]!.workflowExecutionStartedEventAttributes;
    const fields = (f: string) => Object.keys(started(f).searchAttributes?.indexedFields ?? {});
    expect(fields('thin-path-patch-set.json')).toContain('CaseStatus');
    expect(fields('submission-applied-later.json')).not.toContain('CaseStatus');
    expect(fields('thin-path-lean.json')).not.toContain('CaseStatus');
  });

  it('the patch-set history took the set paths without a marker; the lean one asked with markers', () => {
    const types = (f: string) => historyOf(f).map((e) => e.eventType as string);
    expect(types('thin-path-patch-set.json')).not.toContain('EVENT_TYPE_MARKER_RECORDED');
    expect(types('submission-applied-later.json')).not.toContain('EVENT_TYPE_MARKER_RECORDED');
    expect(types('thin-path-patch-set-2.json')).not.toContain('EVENT_TYPE_MARKER_RECORDED');
    expect(types('thin-path-lean.json')).toContain('EVENT_TYPE_MARKER_RECORDED');
  });

  const decoded = (p: { data?: string } | undefined): any =>
    p?.data === undefined ? undefined : JSON.parse(Buffer.from(p.data, 'base64').toString('utf8'));
  /** The local activities a history ran (core_local_activity markers), each with its result. */
  const localActivities = (f: string) =>
    historyOf(f)
      .map((e) => e.markerRecordedEventAttributes)
      .filter((a) => a?.markerName === 'core_local_activity')
      .map((a) => ({
        type: decoded(a.details?.data?.payloads?.[0])?.activity_type as string,
        result: decoded(a.details?.result?.payloads?.[0]),
      }));
  const scheduled = (f: string) =>
    historyOf(f)
      .map((e) => e.activityTaskScheduledEventAttributes?.activityType?.name as string | undefined)
      .filter((n) => n !== undefined);

  it('the patch set 3 histories append by local activity; the older ones keep the scheduled recordEvents', () => {
    const patchSetOf = (f: string) =>
      decoded(historyOf(f)[0]!.workflowExecutionStartedEventAttributes.input.payloads[0]).patchSet;
    for (const f of SET_3) {
      expect(patchSetOf(f), f).toBe(3);
      expect(scheduled(f), f).not.toContain('recordEvents');
      expect(localActivities(f).filter((a) => a.type === 'appendEvents').length, f).toBeGreaterThanOrEqual(2);
    }
    // The thin path: one append a command (submission, three opinions, decision), all recorded as sent.
    const thin = localActivities('thin-path-patch-set-3.json');
    expect(thin.map((a) => a.type)).toEqual(Array(5).fill('appendEvents'));
    for (const a of thin) expect(Object.keys(a.result)).toEqual(['recorded']);
    // The held deadlines still hold their events by a scheduled activity and settle them locally.
    expect(scheduled('held-deadline-set-3.json')).toContain('holdEvents');
    expect(localActivities('held-deadline-set-3.json').map((a) => a.type)).toContain('settleHeldEvents');
    // So replaying the older histories tests the scheduled-activity path, which cases started before run on.
    for (const f of [
      'thin-path.json',
      'thin-path-patch-set-2.json',
      'held-deadline.json',
      'held-deadline-withdrawn.json',
    ]) {
      expect(scheduled(f), f).toContain('recordEvents');
      expect(
        localActivities(f).map((a) => a.type),
        f,
      ).not.toContain('appendEvents');
    }
  });

  it("the lost-task histories hold an append that found the lost task's events and adopted them", () => {
    for (const f of SET_3.filter((name) => name.startsWith('lost-task-'))) {
      const appends = localActivities(f).filter((a) => a.type === 'appendEvents');
      const adopted = appends.filter((a) => 'adopted' in a.result);
      expect(adopted, f).toHaveLength(1);
      const found = adopted[0]!.result.adopted as { events: { type: string }[]; updateIds: (string | null)[] };
      expect(
        found.events.map((e) => e.type),
        f,
      ).toContain('opinion_given');
      expect(typeof found.updateIds[0], f).toBe('string');
    }
    // Reordered: another department's Update came first (accepted before the adoption) and was decided
    // again after it; the lost one's Update was accepted afterwards and answered without an append.
    const events = historyOf('lost-task-adopted-reordered.json');
    const accepted = events.flatMap((e, i) =>
      e.eventType === 'EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED'
        ? [{ i, id: e.workflowExecutionUpdateAcceptedEventAttributes.acceptedRequest.meta.updateId as string }]
        : [],
    );
    const adoptedAt = events.findIndex(
      (e) =>
        e.markerRecordedEventAttributes?.markerName === 'core_local_activity' &&
        decoded(e.markerRecordedEventAttributes.details?.result?.payloads?.[0])?.adopted !== undefined,
    );
    expect(adoptedAt).toBeGreaterThan(0);
    const lostId = (
      localActivities('lost-task-adopted-reordered.json').find((a) => 'adopted' in a.result)!.result.adopted
        .updateIds as string[]
    )[0]!;
    const lost = accepted.find((a) => a.id === lostId)!;
    expect(lost.i).toBeGreaterThan(adoptedAt);
    expect(accepted.filter((a) => a.i < adoptedAt && a.id !== lostId).length).toBeGreaterThanOrEqual(1);
    expect(events.at(-1)!.eventType).toBe('EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED');
  });

  it('the set-3 unrecordable history holds a local append failed for its data, then the case going on', () => {
    const markers = historyOf('events-unrecordable-set-3.json')
      .map((e) => e.markerRecordedEventAttributes)
      .filter((a) => a?.markerName === 'core_local_activity');
    expect(markers.map((a) => a.failure?.applicationFailureInfo?.type ?? 'ok')).toEqual([
      'ok',
      'events_unrecordable',
      'ok',
    ]);
    const outcomes = historyOf('events-unrecordable-set-3.json')
      .map((e) => e.workflowExecutionUpdateCompletedEventAttributes?.outcome)
      .filter((o) => o !== undefined)
      .map((o) => o.failure?.applicationFailureInfo?.type ?? 'answered');
    expect(outcomes).toEqual(['answered', 'events_unrecordable', 'answered']);
  });

  it('the store-read histories hold refusals decided only after a read of the store, and the older one validator rejections', () => {
    const refusals = (f: string) =>
      historyOf(f)
        .map((e) => e.workflowExecutionUpdateCompletedEventAttributes?.outcome?.failure?.applicationFailureInfo?.type)
        .filter((t) => t !== undefined);
    // The same three refused commands: the older build rejected two in its validator (no trace in the
    // history); now each is accepted, its handler reads the store, and then refuses it.
    expect(refusals('lost-task-adopted-refused.json')).toEqual(['opinion_already_given']);
    expect(refusals('lost-task-refused-after-store-read.json')).toEqual(Array(3).fill('opinion_already_given'));
    // The decision delivered first and the opinion it followed share one workflow task and one append.
    const dependent = historyOf('lost-task-adopted-dependent.json');
    const accepted = dependent.flatMap((e, i) =>
      e.eventType === 'EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED' ? [i] : [],
    );
    const [decision, opinion] = accepted.slice(-2) as [number, number];
    expect(opinion).toBe(decision + 1);
    expect(
      decoded(
        dependent[decision]!.workflowExecutionUpdateAcceptedEventAttributes.acceptedRequest.input.args.payloads[0],
      ).command.type,
    ).toBe('decide');
    expect(localActivities('lost-task-adopted-dependent.json').at(-1)!.result).toHaveProperty('adopted');
    // The decision after a read: the read adopted the lost task's opinion, the decision was then recorded.
    const read = localActivities('lost-task-store-read.json').slice(-2);
    expect(read[0]!.result).toHaveProperty('adopted');
    expect(read[1]!.result).toHaveProperty('recorded');
  });

  it('replays every recorded history without non-determinism', async () => {
    const histories = files.map((f) => ({
      workflowId: path.basename(f, '.json'),
      history: JSON.parse(readFileSync(path.join(HISTORIES_DIR, f), 'utf8')),
    }));
    const results = [];
    for await (const result of Worker.runReplayHistories(
      { workflowBundle: { codePath: inject('workflowBundlePath') } },
      histories,
    ))
      results.push(result);
    expect(results).toHaveLength(files.length);
    for (const r of results) expect(r.error, `${r.workflowId}: ${String(r.error)}`).toBeUndefined();
  });

  it('a case an older worker ran with markers replays when its input names a patch set (rolling deploy)', async () => {
    // thin-path-lean.json asked patched() of each patch (markers in its history); the same history
    // with patchSet 1 in its input is what a worker ignoring that field would have written.
    const history = JSON.parse(readFileSync(path.join(HISTORIES_DIR, 'thin-path-lean.json'), 'utf8'));
    const startInput = history.events[0].workflowExecutionStartedEventAttributes.input.payloads[0];
    const input = JSON.parse(Buffer.from(startInput.data, 'base64').toString('utf8'));
    expect(input.patchSet).toBeUndefined();
    startInput.data = Buffer.from(JSON.stringify({ ...input, patchSet: 1 })).toString('base64');
    await Worker.runReplayHistory({ workflowBundle: { codePath: inject('workflowBundlePath') } }, history);
  });
});
