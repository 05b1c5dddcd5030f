import { AppError, fromEngineError } from '../shared/errors.ts';
import { dispatchOutbox, type DispatchReport } from './dispatch.ts';

/**
 * Sends what is queued for the company, once, right after something was queued on a person's request (a run, a test,
 * a manual reminder). A failure to reach the SMTP server is reported, not thrown: the messages stay queued and
 * visible, and what was recorded stays recorded.
 */
export async function dispatchAfterQueueing(
  db: Parameters<typeof dispatchOutbox>[0],
  companyId: string,
  options: { dataDir?: string; onError?: (error: unknown) => void },
): Promise<DispatchReport> {
  try {
    return await dispatchOutbox(db, companyId, { dataDir: options.dataDir });
  } catch (error) {
    // The SMTP server's failures are reported inside the dispatch; a database that went away is not a mail
    // problem to report and carry on from: the caller fails with it (exit 3, HTTP 503) and the next run finishes.
    if (fromEngineError(error)?.code === 'unavailable') throw fromEngineError(error);
    options.onError?.(error);
    return {
      sent: 0,
      retried: 0,
      failed: 0,
      interrupted: 0,
      notSent: 0,
      emlDir: null,
      cancelled: 0,
      stopped: `dispatch failed: ${(error as Error).message}`,
      // A refusal of ours is said from its catalogue text; anything else only as unexpected (the log has it).
      stoppedReason:
        error instanceof AppError
          ? { code: error.messageKey, params: error.params ?? {} }
          : { code: 'outbox.smtp.unexpected', params: {} },
    };
  }
}
