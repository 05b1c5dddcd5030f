import { parentPort } from 'node:worker_threads';
import { AppError } from './errors.ts';
import type { ThreadAnswer, ThreadJob } from './upload-thread.ts';

/** Typed arrays the reader made whole for the answer (a `Uint32Array` of offsets): moved, not copied. */
function transferable(value: unknown): ArrayBuffer[] {
  if (typeof value !== 'object' || value === null) return [];
  return Object.values(value).flatMap((v) =>
    v instanceof Uint32Array && v.byteOffset === 0 && v.byteLength === v.buffer.byteLength
      ? [v.buffer as ArrayBuffer]
      : [],
  );
}

/** One job per message: its module's function is called and its answer (or refusal) sent back. */
parentPort!.on('message', (job: ThreadJob) => {
  void (async (): Promise<void> => {
    let answer: ThreadAnswer;
    try {
      const module = (await import(job.module)) as Record<string, (...args: unknown[]) => unknown>;
      answer = { ok: await module[job.fn]!(...job.args) };
    } catch (error) {
      if (error instanceof AppError) {
        answer = {
          refused: {
            message: error.message,
            issues: error.issues,
            key: error.messageKey,
            ...(error.params ? { params: error.params } : {}),
          },
        };
      } else {
        const detail = String((error as Error)?.message ?? error).slice(0, 200);
        const reason = `cannot be read (${detail})`;
        answer = {
          refused: {
            message: `${job.label}: ${reason}.`,
            issues: [{ field: 'file', reason, code: 'reason.unreadable', params: { detail } }],
            key: 'problem.file.unreadable',
            params: { file: job.label, reason: String((error as Error)?.message ?? error).slice(0, 200) },
          },
        };
      }
    }
    parentPort!.postMessage(answer, 'ok' in answer ? transferable(answer.ok) : []);
  })();
});
parentPort!.postMessage('ready');
