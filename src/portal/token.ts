import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Db } from '../storage/database.ts';
import { signingKey } from '../storage/secrets.ts';

/**
 * A payment-page token: the company's and the link's ids and a 128-bit HMAC of both under a key derived from the
 * installation's secret key (64 URL-safe characters). The signature refuses a forged or guessed token without
 * reading the database, and lets relance write the live link of a customer into every reminder without keeping
 * the token anywhere: the table holds its SHA-256. A new secret key invalidates every link.
 */
export type TokenParts = { companyId: string; linkId: string };

const PURPOSE = 'portal link';
const FORM_PURPOSE = 'portal form';
const keys = new WeakMap<object, Map<string, Buffer>>();

/** One derivation per database handle and purpose: the page is served on every request. */
async function keyOf(db: Db, purpose: string): Promise<Buffer> {
  let known = keys.get(db);
  if (!known) keys.set(db, (known = new Map()));
  let key = known.get(purpose);
  if (!key) known.set(purpose, (key = await signingKey(db, purpose)));
  return key;
}

function uuidBytes(id: string): Buffer {
  return Buffer.from(id.replaceAll('-', ''), 'hex');
}

function uuidText(bytes: Buffer): string {
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

function mac(key: Buffer, ids: Buffer): Buffer {
  return createHmac('sha256', key).update(ids).digest().subarray(0, 16);
}

export async function makeToken(db: Db, parts: TokenParts): Promise<string> {
  const ids = Buffer.concat([uuidBytes(parts.companyId), uuidBytes(parts.linkId)]);
  return Buffer.concat([ids, mac(await keyOf(db, PURPOSE), ids)]).toString('base64url');
}

const TOKEN = /^[A-Za-z0-9_-]{64}$/;

/** The ids a token names when its signature holds, else null (compared in constant time). */
export async function readToken(db: Db, token: string): Promise<TokenParts | null> {
  if (!TOKEN.test(token)) return null;
  const raw = Buffer.from(token, 'base64url');
  if (raw.length !== 48) return null;
  const ids = raw.subarray(0, 32);
  if (!timingSafeEqual(mac(await keyOf(db, PURPOSE), ids), raw.subarray(32))) return null;
  return { companyId: uuidText(ids.subarray(0, 16)), linkId: uuidText(ids.subarray(16)) };
}

/**
 * The anti-forgery value of the page's forms: an HMAC of the token and the form's purpose, so a form posted from
 * another site (which cannot read the page) or for another link is refused.
 */
export async function formToken(db: Db, token: string, purpose: string): Promise<string> {
  const key = await keyOf(db, FORM_PURPOSE);
  return createHmac('sha256', key).update(`${token}\n${purpose}`).digest('base64url');
}

const MAX_PAGES = 10_000;
const pageForms = new WeakMap<object, Map<string, Record<string, string>>>();

/**
 * The anti-forgery values of all the forms of a token's page, worked out once per token and database handle (as
 * the keys are): they depend on nothing else, and four HMACs on every view were a twentieth of the page's CPU.
 * Emptied when full.
 */
export async function pageFormTokens(
  db: Db,
  token: string,
  purposes: readonly string[],
): Promise<Record<string, string>> {
  let known = pageForms.get(db);
  if (!known) pageForms.set(db, (known = new Map()));
  let values = known.get(token);
  if (!values) {
    values = {};
    for (const purpose of purposes) values[purpose] = await formToken(db, token, purpose);
    if (known.size >= MAX_PAGES) known.clear();
    known.set(token, values);
  }
  return values;
}

export async function checkFormToken(db: Db, token: string, purpose: string, sent: unknown): Promise<boolean> {
  if (typeof sent !== 'string') return false;
  const expected = Buffer.from(await formToken(db, token, purpose));
  const given = Buffer.from(sent);
  return expected.length === given.length && timingSafeEqual(expected, given);
}
