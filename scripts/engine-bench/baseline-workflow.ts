import { allHandlersFinished, condition, defineUpdate, proxyActivities, setHandler } from '@temporalio/workflow';
import type { BaselineActivities, BaselineEventRow } from './baseline-activities';

/**
 * The bare engine baseline of `npm run benchmark:engine`: the same engine work a simple case does —
 * update-with-start, then 4 Updates, each running one activity that inserts that step's events —
 * and nothing of ours (no rules, no projections, no timers, no search attributes).
 */
export const baselineStep = defineUpdate<number, [BaselineEventRow[]]>('step');

const { insertBaselineEvents } = proxyActivities<BaselineActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
});

export async function baselineCase(steps: number): Promise<number> {
  let done = 0;
  setHandler(baselineStep, async (events) => {
    await insertBaselineEvents(events);
    return ++done;
  });
  await condition(() => done >= steps && allHandlersFinished());
  return done;
}
