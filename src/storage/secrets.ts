import { createCipheriv, createDecipheriv, createHash, createHmac, randomBytes } from 'node:crypto';
import { mkdirSync, openSync, readFileSync, writeSync, closeSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { sql } from 'kysely';
import type { Db } from './database.ts';
import { isPostgres } from './migrations/column-types.ts';

/**
 * Credentials the app must read back (the SMTP password, the DKIM private key) are stored encrypted
 * (AES-256-GCM), so a database dump or backup does not give away the company's mailbox. The key lives
 * outside the database: RELANCE_SECRET_KEY when set (what several servers sharing one PostgreSQL need),
 * else a key file created on first use with mode 0600 — `secret.key` beside the SQLite file, or
 * `./data/secret.key` for PostgreSQL (RELANCE_SECRET_KEY_FILE overrides the path).
 *
 * A sealed value names its key (a short fingerprint), so a value sealed under another key is recognised
 * and reported instead of decrypting to garbage. Values written before encryption existed are read as they
 * are and sealed at their next save.
 */
const PREFIX = 'enc1:';

type Key = { bytes: Buffer; id: string };

const keys = new Map<string, Key>();

function keyOf(bytes: Buffer): Key {
  return { bytes, id: createHash('sha256').update(bytes).digest('hex').slice(0, 12) };
}

function fromEnvironment(): Key | null {
  const text = process.env.RELANCE_SECRET_KEY?.trim();
  if (!text) return null;
  if (text.length < 32) throw new Error('RELANCE_SECRET_KEY must be at least 32 characters long.');
  return keyOf(createHash('sha256').update(text).digest());
}

/** Reads the key file, or creates it (exclusively, so two processes starting together agree on one key). */
function fromFile(path: string): Key {
  const cached = keys.get(path);
  if (cached) return cached;
  mkdirSync(dirname(path), { recursive: true });
  try {
    const fd = openSync(path, 'wx', 0o600);
    try {
      writeSync(fd, `${randomBytes(32).toString('base64')}\n`);
    } finally {
      closeSync(fd);
    }
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  const bytes = Buffer.from(readFileSync(path, 'utf8').trim(), 'base64');
  if (bytes.length !== 32) throw new Error(`${path} is not a relance secret key (32 bytes in base64).`);
  const key = keyOf(bytes);
  keys.set(path, key);
  return key;
}

/** The key of the database behind `db`: found from the SQLite file itself, so it follows `--db`. */
async function keyFor(db: Db): Promise<Key> {
  const environment = fromEnvironment();
  if (environment) return environment;
  if (process.env.RELANCE_SECRET_KEY_FILE) return fromFile(resolve(process.env.RELANCE_SECRET_KEY_FILE));
  if (isPostgres(db)) return fromFile(resolve('data', 'secret.key'));
  const { rows } = await sql<{ file: string }>`select file from pragma_database_list where name = 'main'`.execute(db);
  const file = rows[0]?.file ?? '';
  // An in-memory SQLite database has no file: its secrets live no longer than the process.
  if (!file) {
    if (!keys.has(':memory:')) keys.set(':memory:', keyOf(randomBytes(32)));
    return keys.get(':memory:')!;
  }
  return fromFile(join(dirname(file), 'secret.key'));
}

export async function sealSecret(db: Db, plain: string): Promise<string> {
  const key = await keyFor(db);
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key.bytes, iv);
  const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
  return `${PREFIX}${key.id}:${Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64')}`;
}

export type Opened = { value: string } | { value: null; problem: string };

/** The plain value, or why it cannot be read (sealed under another key, or altered). */
export async function openSecret(db: Db, stored: string): Promise<Opened> {
  if (!stored.startsWith(PREFIX)) return { value: stored };
  const [id, data] = stored.slice(PREFIX.length).split(':') as [string, string | undefined];
  const key = await keyFor(db);
  if (id !== key.id || data === undefined) {
    return {
      value: null,
      problem: 'encrypted with another secret key (RELANCE_SECRET_KEY or secret.key changed); enter it again',
    };
  }
  const raw = Buffer.from(data, 'base64');
  try {
    const decipher = createDecipheriv('aes-256-gcm', key.bytes, raw.subarray(0, 12));
    decipher.setAuthTag(raw.subarray(12, 28));
    return { value: Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8') };
  } catch {
    return { value: null, problem: 'altered in the database (it does not decrypt); enter it again' };
  }
}

/**
 * A key for signing (HMAC), derived from the installation's secret key and a purpose, so a signature made for one
 * purpose never verifies for another and the secret key itself never signs anything.
 */
export async function signingKey(db: Db, purpose: string): Promise<Buffer> {
  const key = await keyFor(db);
  return createHmac('sha256', key.bytes).update(`relance signing key: ${purpose}`).digest();
}
