import type { Migration } from 'kysely';
import * as initial from './2026-11-23T1200_initial';
import * as supervisionIndexes from './2026-11-23T1300_supervision_indexes';
import * as departmentFigures from './2026-11-23T1400_department_figures';
import * as eventActorName from './2026-12-01T1100_event_actor_name';
import * as console_ from './2026-12-01T1200_console';
import * as calendarRepublications from './2026-12-01T1300_calendar_republications';
import * as listCursors from './2026-12-01T1400_list_cursors';
import * as commandReceipts from './2026-12-01T1500_command_receipts';
import * as queryCodeHash from './2026-12-01T1600_query_code_hash';
import * as webhookSecrets from './2026-12-01T1700_webhook_secrets';
import * as heldBatches from './2026-12-01T1800_held_batches';
import * as heldBatchPrepared from './2026-12-01T1830_held_batch_prepared';
import * as eventUpdateIds from './2026-12-01T1900_event_update_ids';

/**
 * Every migration, by its timestamped name, imported statically so that the same list works from
 * TypeScript sources, the compiled image and the test runner alike. Add new ones at the end.
 */
export const MIGRATIONS: Record<string, Migration> = {
  '2026-11-23T1200_initial': initial,
  '2026-11-23T1300_supervision_indexes': supervisionIndexes,
  '2026-11-23T1400_department_figures': departmentFigures,
  '2026-12-01T1100_event_actor_name': eventActorName,
  '2026-12-01T1200_console': console_,
  '2026-12-01T1300_calendar_republications': calendarRepublications,
  '2026-12-01T1400_list_cursors': listCursors,
  '2026-12-01T1500_command_receipts': commandReceipts,
  '2026-12-01T1600_query_code_hash': queryCodeHash,
  '2026-12-01T1700_webhook_secrets': webhookSecrets,
  '2026-12-01T1800_held_batches': heldBatches,
  '2026-12-01T1830_held_batch_prepared': heldBatchPrepared,
  '2026-12-01T1900_event_update_ids': eventUpdateIds,
};
