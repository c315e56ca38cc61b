import type { Logger } from 'pino';
import type { Db } from '../db';
import {
  clearSettledBatches,
  dueBatchIds,
  nextHeldDue,
  recordDueBatch,
  recordDueBatches,
} from '../db/repositories/held-batches';

export interface SweeperOptions {
  /** How often it looks for newly held batches (their deadlines are always further off than this). */
  pollMs?: number;
  /** Batches recorded per transaction. */
  chunk?: number;
  /** Settled rows kept this long before they are cleared. */
  keepSettledMs?: number;
}

/**
 * Records the timer events cases decided ahead (db/repositories/held-batches.ts) the moment they fall
 * due: thousands of deadlines ending at the same 24:00 are written in a few bulk transactions, not
 * one workflow at a time. Every worker runs one; they share the work (rows taken with SKIP LOCKED).
 * Nothing depends on it for correctness: a case records its own held events when it settles them.
 */
export function startHeldBatchSweeper(db: Db, log: Pick<Logger, 'warn' | 'info'>, opts: SweeperOptions = {}) {
  const pollMs = opts.pollMs ?? 500;
  const chunk = opts.chunk ?? 100;
  const keepSettledMs = opts.keepSettledMs ?? 86_400_000;
  let stopped = false;
  let wake: (() => void) | undefined;
  let lastClear = 0;
  const pause = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });

  /**
   * Records everything due now; when a bulk transaction fails, its batches are tried one by one, so
   * one bad row holds up no other. Answers whether any was left behind.
   */
  async function sweep(): Promise<{ leftBehind: boolean }> {
    const started = Date.now();
    let recorded = 0;
    for (;;) {
      try {
        const n = await recordDueBatches(db, chunk);
        recorded += n;
        if (n < chunk) {
          if (recorded) log.info({ recorded, ms: Date.now() - started }, 'held batches recorded at their deadline');
          return { leftBehind: false };
        }
      } catch (err) {
        log.warn({ err }, 'held batches: bulk recording failed; recording them one by one');
        let leftBehind = false;
        for (const id of await dueBatchIds(db, chunk)) {
          try {
            await recordDueBatch(db, id);
          } catch (one) {
            // Left held: its case records it (or learns why not) when it settles.
            log.warn({ err: one, id }, 'held batch could not be recorded by the sweeper');
            leftBehind = true;
          }
        }
        if (leftBehind) return { leftBehind };
      }
    }
  }

  const running = (async () => {
    while (!stopped) {
      try {
        const due = await nextHeldDue(db);
        const wait = due === undefined ? pollMs : Math.min(pollMs, due - Date.now());
        if (wait > 0) {
          await pause(wait);
          continue;
        }
        // A batch that cannot be recorded stays due: do not spin on it.
        if ((await sweep()).leftBehind) await pause(pollMs * 10);
        if (Date.now() - lastClear > 60_000) {
          lastClear = Date.now();
          await clearSettledBatches(db, keepSettledMs);
        }
      } catch (err) {
        if (stopped) return;
        log.warn({ err }, 'held batches: sweeper could not reach the database; trying again');
        await pause(pollMs * 4);
      }
    }
  })();

  return {
    async stop(): Promise<void> {
      stopped = true;
      wake?.();
      await running;
    },
  };
}
