import { continueAsNew, getExternalWorkflowHandle, patched, proxyActivities, sleep } from '@temporalio/workflow';
import type { Activities } from '../activities';
import { calendarPublishedSignal } from './definitions';
import { PATCHES } from './patches';

const acts = proxyActivities<Activities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '30 seconds' },
});

/** A page's signals: a worker dying mid-page is noticed within the heartbeat timeout and the page signalled again. */
const signalling = proxyActivities<Activities>({
  startToCloseTimeout: '5 minutes',
  heartbeatTimeout: '20 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '30 seconds' },
});

export interface RepublicationInput {
  republicationId: number;
  version: string;
  /** Cases per page: one activity lists them, then they are signalled this many at a time. */
  pageSize?: number;
  /** How long to wait for every open case to count with the new calendar before reporting the rest as missed. */
  sweepSeconds?: number;
  /** Progress carried across continue-as-new. */
  cursor?: string;
  signalled?: number;
  closed?: number;
}

const PAGES_PER_RUN = 10;

/**
 * A published or corrected calendar year reaches every open case: the open cases are listed page by
 * page (keyset, durable cursor) and each is signalled to adopt the calendar in force; the run
 * continues as new every few pages so its history stays bounded however many cases there are.
 * Then a sweep re-signals whatever still counts with another calendar (a case submitted meanwhile,
 * a signal lost to a closing run) until none is behind, and the record is closed with its figures.
 * A worker or process dying anywhere resumes from the last completed step: nothing is lost.
 */
export async function calendarRepublicationWorkflow(input: RepublicationInput): Promise<void> {
  const pageSize = input.pageSize ?? 200;
  let { cursor, signalled = 0, closed = 0 } = input;

  const byActivity = patched(PATCHES.republicationSignalByActivity);
  const signalAll = async (caseNos: string[]) => {
    if (byActivity) {
      const r = await signalling.signalCalendarPublished(caseNos);
      signalled += r.signalled;
      closed += r.closed;
      return;
    }
    // Signals are idempotent for a case (it adopts the calendar in force once); a closed one is skipped.
    for (let i = 0; i < caseNos.length; i += 50) {
      const results = await Promise.allSettled(
        caseNos.slice(i, i + 50).map((id) => getExternalWorkflowHandle(id).signal(calendarPublishedSignal)),
      );
      for (const r of results)
        if (r.status === 'fulfilled') signalled++;
        else closed++;
    }
  };

  if (cursor !== 'sweep') {
    for (let page = 0; ; page++) {
      if (page === PAGES_PER_RUN) {
        await continueAsNew<typeof calendarRepublicationWorkflow>({ ...input, cursor, signalled, closed });
      }
      const caseNos = await acts.openCalendarCases(cursor, pageSize);
      if (!caseNos.length) break;
      await signalAll(caseNos);
      cursor = caseNos[caseNos.length - 1];
      await acts.recordRepublicationProgress(input.republicationId, signalled, closed);
    }
  }

  const sweepMs = (input.sweepSeconds ?? 300) * 1000;
  for (let waited = 0, round = 0; waited < sweepMs; round++) {
    const behind = await acts.casesBehindCalendar(input.version, pageSize);
    if (!behind.length) break;
    // Give the signalled cases time to adopt it; every few rounds signal the stragglers again.
    if (round % 5 === 4) await signalAll(behind);
    await sleep(1000);
    waited += 1000;
  }
  await acts.recordRepublicationProgress(input.republicationId, signalled, closed);
  await acts.finishRepublication(input.republicationId);
}
