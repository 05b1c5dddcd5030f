import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** A random secret for a cookie, a token or a reset link: 32 bytes, URL-safe, with a readable prefix. */
export function randomSecret(prefix = ''): string {
  return `${prefix}${randomBytes(32).toString('base64url')}`;
}

/** Secrets are looked up by their SHA-256: they are long and random, so no salt or slow hash is needed. */
export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

export function sameText(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
