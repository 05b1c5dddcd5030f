import { Worker } from 'node:worker_threads';
import { AppError, type FieldIssue } from './errors.ts';
import type { InputLimits } from './input-limits.ts';

const ENTRY = new URL('./upload-worker.js', import.meta.url);

/**
 * One piece of reading to do in the upload thread: `fn` of the module at `module` (its own `import.meta.url`,
 * so the compiled build finds its compiled file), called with `args`; `label` names the file in refusals.
 */
export type ThreadJob = { label: string; module: string; fn: string; args: unknown[] };

/** What came back: the function's answer, or its refusal (an AppError's message, issues and catalogue key). */
export type ThreadAnswer =
  | { ok: unknown }
  | { refused: { message: string; issues: FieldIssue[]; key?: string; params?: Record<string, string | number> } };

type Reading = { worker: Worker; ready: Promise<void>; failure: Promise<string> };

function start(limits: InputLimits): Reading {
  const worker = new Worker(ENTRY, {
    resourceLimits: { maxOldGenerationSizeMb: limits.uploadMemoryMb, maxYoungGenerationSizeMb: 32 },
  });
  const ready = new Promise<void>((resolve) => worker.once('message', () => resolve()));
  const failure = new Promise<string>((resolve) => {
    worker.once('error', (error: Error & { code?: string }) =>
      resolve(
        error.code === 'ERR_WORKER_OUT_OF_MEMORY'
          ? `reading it needs more than ${limits.uploadMemoryMb} MiB of memory (the limit for an upload)`
          : `cannot be read (${error.message})`,
      ),
    );
    worker.once('exit', (code) => resolve(`cannot be read (the reader stopped, code ${code})`));
  });
  return { worker, ready, failure };
}

const refused = (
  label: string,
  reason: string,
  key: string,
  params: Record<string, string | number>,
): ThreadAnswer => ({
  refused: {
    message: `${label}: ${reason}.`,
    issues: [{ field: 'file', reason, code: key, params: { file: label, ...params } }],
    key,
    params: { file: label, ...params },
  },
});

/**
 * Runs the reading of an upload's files in a worker thread, so decompressing and parsing a hostile file never
 * holds the event loop that answers everybody else. The thread's heap is capped (`uploadMemoryMb`) and the
 * whole upload gets `uploadSeconds`: a job that reaches a limit is refused with that reason, the thread is
 * ended and the next jobs run in a new one; jobs left when the time is up are refused as not read.
 */
export async function runInUploadThread(jobs: ThreadJob[], limits: InputLimits): Promise<ThreadAnswer[]> {
  const answers: ThreadAnswer[] = [];
  const deadline = Date.now() + limits.uploadSeconds * 1000;
  let reading: Reading | null = null;
  try {
    for (const job of jobs) {
      // The first file is always given to the thread, so a tiny limit reads as "reading took too long" rather
      // than as a file never tried.
      const left = Math.max(0, deadline - Date.now());
      if (left <= 0 && answers.length > 0) {
        answers.push(
          refused(
            job.label,
            `not read: the upload took longer than ${limits.uploadSeconds} s (the limit for an upload)`,
            'problem.file.uploadTime',
            { seconds: limits.uploadSeconds },
          ),
        );
        continue;
      }
      reading ??= start(limits);
      const current: Reading = reading;
      let timer: NodeJS.Timeout | undefined;
      const timeUp = new Promise<'time'>((resolve) => {
        timer = setTimeout(() => resolve('time'), left);
      });
      const answer = current.ready.then(
        () =>
          new Promise<ThreadAnswer>((resolve) => {
            current.worker.once('message', resolve);
            current.worker.postMessage(job);
          }),
      );
      const result = await Promise.race([answer, current.failure, timeUp]);
      clearTimeout(timer);
      if (typeof result === 'object') {
        answers.push(result);
        continue;
      }
      await current.worker.terminate();
      reading = null;
      answers.push(
        refused(
          job.label,
          result === 'time'
            ? `reading it took longer than ${limits.uploadSeconds} s (the limit for an upload)`
            : result,
          result === 'time' ? 'problem.file.readTime' : 'problem.file.unreadable',
          result === 'time' ? { seconds: limits.uploadSeconds } : { reason: result },
        ),
      );
    }
  } finally {
    await reading?.worker.terminate();
  }
  return answers;
}

/** One job in the upload thread, its answer returned or its refusal thrown as the AppError it was. */
export async function readInUploadThread<T>(job: ThreadJob, limits: InputLimits): Promise<T> {
  const [answer] = await runInUploadThread([job], limits);
  if ('ok' in answer!) return answer.ok as T;
  const { message, issues, key, params } = answer!.refused;
  throw new AppError(
    'invalid_input',
    message,
    issues,
    key ? { key, ...(params ? { params } : {}) } : { key: 'errors.invalid_input' },
  );
}
