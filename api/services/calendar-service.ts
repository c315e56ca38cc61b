import type { Client } from '@temporalio/client';
import type { AppConfig } from '../../config';
import type { Db } from '../../db';
import { currentCalendar, putCalendarYear } from '../../db/repositories/calendars';
import { countAffectedCases, createRepublication } from '../../db/repositories/republications';
import type { CalendarYearData } from '../../domain/calendar';
import type { RepublicationInput } from '../../workflows/republication-workflow';

/**
 * Publishing or correcting a year: the year is written, the open cases it touches are counted, and a
 * durable republication workflow brings every open case onto the calendar in force.
 */
export async function publishCalendarYear(
  deps: { db: Db; temporal: Client; config: AppConfig },
  year: number,
  data: CalendarYearData,
): Promise<{ version: string; affectedCases: number; republicationId: number | null }> {
  const { db, temporal, config } = deps;
  return db.transaction().execute(async (trx) => {
    const before = await currentCalendar(trx);
    await putCalendarYear(trx, year, data);
    const after = await currentCalendar(trx);
    if (after.version === before.version) return { version: after.version, affectedCases: 0, republicationId: null };
    const affectedCases = await countAffectedCases(trx, year);
    const republicationId = await createRepublication(trx, { year, version: after.version, affectedCases });
    // Started before the year is committed: if this process dies in between, the workflow still runs
    // (it brings the cases onto whatever calendar is then in force); if it cannot start, nothing is written.
    if (!config.demoDaySeconds) {
      const input: RepublicationInput = {
        republicationId,
        version: after.version,
        sweepSeconds: config.republicationSweepSeconds,
      };
      await temporal.workflow.start('calendarRepublicationWorkflow', {
        workflowId: `calendar-republication-${republicationId}`,
        taskQueue: config.taskQueue,
        args: [input],
      });
    }
    return { version: after.version, affectedCases, republicationId };
  });
}
