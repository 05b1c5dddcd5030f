import type { InputLimits } from '../../shared/input-limits.ts';
import { runInUploadThread } from '../../shared/upload-thread.ts';
import { READ_FILE_MODULE, type InputFile, type ReadOutcome } from './read-file.ts';

/**
 * Reads the files of an upload in the upload thread (`runInUploadThread`: heap, time and thread limits), each
 * embedded file's inflated size capped too (`maxInflatedBytes`): a file that reaches a limit is refused with it.
 */
export async function readFilesInWorker(files: InputFile[], limits: InputLimits): Promise<ReadOutcome[]> {
  const answers = await runInUploadThread(
    files.map((file) => ({
      label: file.fileName,
      module: READ_FILE_MODULE,
      fn: 'readOutcome',
      args: [file, limits.maxInflatedBytes],
    })),
    limits,
  );
  return answers.map((answer) => ('ok' in answer ? (answer.ok as ReadOutcome) : { refused: answer.refused }));
}
