import { Worker } from 'node:worker_threads';
import type { InputLimits } from '../../shared/input-limits.ts';
import type { InputFile, ReadOutcome } from './read-file.ts';

const ENTRY = new URL('./read-worker.js', import.meta.url);

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

const refused = (file: InputFile, reason: string): ReadOutcome => ({
  refused: { message: `${file.fileName}: ${reason}.`, issues: [{ field: 'file', reason }] },
});

/**
 * Reads the files of an upload in a worker thread, so inflating and parsing a hostile file never holds the
 * event loop that answers everybody else. The thread's heap is capped (`uploadMemoryMb`), each embedded file's
 * inflated size too (`maxInflatedBytes`), and the whole upload gets `uploadSeconds`: a file that reaches a
 * limit is refused with that reason, the thread is ended and the next files are read by a new one; files
 * left when the time is up are refused as not read.
 */
export async function readFilesInWorker(files: InputFile[], limits: InputLimits): Promise<ReadOutcome[]> {
  const outcomes: ReadOutcome[] = [];
  const deadline = Date.now() + limits.uploadSeconds * 1000;
  let reading: Reading | null = null;
  try {
    for (const file of files) {
      const left = deadline - Date.now();
      if (left <= 0) {
        outcomes.push(
          refused(file, `not read: the upload took longer than ${limits.uploadSeconds} s (the limit for an upload)`),
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
          new Promise<ReadOutcome>((resolve) => {
            current.worker.once('message', resolve);
            current.worker.postMessage({ file, maxInflatedBytes: limits.maxInflatedBytes });
          }),
      );
      const result = await Promise.race([answer, current.failure, timeUp]);
      clearTimeout(timer);
      if (typeof result === 'object') {
        outcomes.push(result);
        continue;
      }
      await current.worker.terminate();
      reading = null;
      outcomes.push(
        refused(
          file,
          result === 'time'
            ? `reading it took longer than ${limits.uploadSeconds} s (the limit for an upload)`
            : result,
        ),
      );
    }
  } finally {
    await reading?.worker.terminate();
  }
  return outcomes;
}
