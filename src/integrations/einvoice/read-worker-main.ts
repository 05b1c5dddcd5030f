import { parentPort } from 'node:worker_threads';
import { readOutcome, type InputFile } from './read-file.ts';

/** One file per message, answered with its outcome; the parent ends the thread when the upload is read. */
parentPort!.on('message', (message: { file: InputFile; maxInflatedBytes: number }) => {
  void readOutcome(message.file, message.maxInflatedBytes).then((outcome) => parentPort!.postMessage(outcome));
});
parentPort!.postMessage('ready');
