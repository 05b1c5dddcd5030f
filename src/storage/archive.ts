import { gunzipSync, gzipSync } from 'node:zlib';
import { AppError } from '../shared/errors.ts';

/**
 * A gzipped POSIX tar (ustar) of a few regular files: what `relance backup` writes, so that `tar xzf` opens
 * it anywhere. Only what a backup holds is supported (plain files, names under 100 bytes).
 */
export type ArchiveEntry = { name: string; content: Buffer; mode?: number };

const BLOCK = 512;

function header(entry: ArchiveEntry, mtime: number): Buffer {
  const block = Buffer.alloc(BLOCK);
  const put = (text: string, at: number, length: number) => block.write(text, at, length, 'ascii');
  const octal = (value: number, length: number) => value.toString(8).padStart(length - 1, '0');
  put(entry.name, 0, 100);
  put(octal(entry.mode ?? 0o600, 8), 100, 8);
  put(octal(0, 8), 108, 8);
  put(octal(0, 8), 116, 8);
  put(octal(entry.content.length, 12), 124, 12);
  put(octal(mtime, 12), 136, 12);
  put('        ', 148, 8);
  put('0', 156, 1);
  put('ustar\u000000', 257, 8);
  let sum = 0;
  for (const byte of block) sum += byte;
  put(`${sum.toString(8).padStart(6, '0')}\u0000 `, 148, 8);
  return block;
}

export function packArchive(entries: ArchiveEntry[], mtime = Math.floor(Date.now() / 1000)): Buffer {
  const parts: Buffer[] = [];
  for (const entry of entries) {
    if (Buffer.byteLength(entry.name) >= 100)
      throw new AppError('internal', `archive name too long: ${entry.name}`, [], {
        key: 'problem.backup.nameTooLong',
        params: { name: entry.name },
      });
    parts.push(header(entry, mtime), entry.content, Buffer.alloc((BLOCK - (entry.content.length % BLOCK)) % BLOCK));
  }
  parts.push(Buffer.alloc(2 * BLOCK));
  return gzipSync(Buffer.concat(parts));
}

export function unpackArchive(bytes: Buffer): Map<string, Buffer> {
  let tar: Buffer;
  try {
    tar = gunzipSync(bytes);
  } catch {
    throw new AppError('invalid_input', 'This file is not a relance backup (not a gzipped archive).', [], {
      key: 'problem.backup.notArchive',
    });
  }
  const files = new Map<string, Buffer>();
  for (let at = 0; at + BLOCK <= tar.length;) {
    const block = tar.subarray(at, at + BLOCK);
    if (block.every((byte) => byte === 0)) break;
    const name = block.subarray(0, 100).toString('ascii').replace(/\0.*$/s, '');
    const size = parseInt(block.subarray(124, 136).toString('ascii').replace(/\0.*$/s, '').trim() || '0', 8);
    if (!Number.isFinite(size) || at + BLOCK + size > tar.length)
      throw new AppError('invalid_input', 'This backup is truncated.', [], { key: 'problem.backup.truncated' });
    if (block[156] === 0x30 || block[156] === 0)
      files.set(name, Buffer.from(tar.subarray(at + BLOCK, at + BLOCK + size)));
    at += BLOCK + Math.ceil(size / BLOCK) * BLOCK;
  }
  return files;
}
