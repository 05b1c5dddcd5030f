// Plain JavaScript so that it runs in a worker thread without a TypeScript loader (tsx, vitest, node alike).
import { parentPort, workerData } from 'node:worker_threads';
import BetterSqlite3 from 'better-sqlite3';

// Copies the write-ahead log of a large import into the database file on its own connection and thread;
// PASSIVE never waits for, nor blocks, the readers and writers of the main connection.
const db = new BetterSqlite3(workerData.file, { fileMustExist: true });
try {
  db.pragma('busy_timeout = 10000');
  const [result] = db.pragma('wal_checkpoint(PASSIVE)');
  parentPort?.postMessage(result);
} finally {
  db.close();
}
