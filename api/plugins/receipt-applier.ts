import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { claimPendingReceipts, purgeAnsweredReceipts } from '../../db/repositories/command-receipts';
import { unavailableOf } from '../unavailable';

const BATCH = 50;
const MIN_AGE_MS = 3_000;
const PURGE_EVERY_MS = 3_600_000;

/**
 * Applies commands that were durably received but not answered — the request gave up after
 * COMMAND_WAIT_MS while Temporal was unreachable, or the API process died mid-request — with their
 * original receipt time, and stores their answers for the same Idempotency-Key to replay. Every API
 * process runs one; receipts are claimed with SKIP LOCKED, and a receipt's Update id makes a second
 * delivery a no-op. Also forgets answered keys past RECEIPT_KEEP_HOURS.
 */
export const receiptApplierPlugin = fp(async (app: FastifyInstance) => {
  const { receiptApplierIntervalMs: every, commandWaitMs, receiptKeepHours } = app.config;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  let closing = false;
  let lastPurge = 0;

  /** An API that cannot reach Temporal leaves the receipts to one that can. */
  async function temporalReachable(): Promise<boolean> {
    try {
      await app.temporal.connection.withDeadline(Date.now() + 1_000, () =>
        app.temporal.workflowService.getSystemInfo({}),
      );
      return true;
    } catch {
      return false;
    }
  }

  async function round(): Promise<void> {
    if (!(await temporalReachable())) return;
    // Younger receipts may still be in their own request's hands (sending one twice is harmless:
    // the Update id is the receipt's).
    const receipts = await claimPendingReceipts(app.db, Math.min(commandWaitMs, MIN_AGE_MS), BATCH);
    await Promise.all(
      receipts.map((receipt) =>
        app.cases.settle(receipt).then(
          (answer) => app.log.info({ receipt: receipt.id, status: answer.status }, 'received command applied later'),
          (err) => {
            if (unavailableOf(err)) return; // still down: the next round tries again
            app.log.error({ err, receipt: receipt.id }, 'received command could not be applied');
          },
        ),
      ),
    );
    if (Date.now() - lastPurge > PURGE_EVERY_MS) {
      lastPurge = Date.now();
      await purgeAnsweredReceipts(app.db, receiptKeepHours * 3_600_000);
    }
  }

  function schedule(): void {
    if (closing) return;
    timer = setTimeout(() => {
      running = round()
        .catch((err) => {
          if (!unavailableOf(err)) app.log.error({ err }, 'receipt applier round failed');
        })
        .finally(() => {
          running = undefined;
          schedule();
        });
    }, every);
    timer.unref();
  }

  app.addHook('onReady', async () => schedule());
  app.addHook('onClose', async () => {
    closing = true;
    clearTimeout(timer);
    await running;
  });
});
