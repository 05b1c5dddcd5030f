import { createHmac, timingSafeEqual } from 'node:crypto';
import { isId } from '../shared/ids.ts';

/**
 * The tag in a reminder's Reply-To (`reponses+<tag>@domain`): the customer's id and an HMAC of company and
 * customer, in lower-case base32 because some mail servers fold the case of the local part. The company is
 * not in the tag (it would pass the 64 characters RFC 5321 allows a local part): it is found by the reply
 * address, and the HMAC, keyed per installation, tells apart companies sharing one address and refuses a
 * forged or altered tag.
 */
const ALPHABET = 'abcdefghijklmnopqrstuvwxyz234567';
const MAC_BYTES = 8;
const TAG_LENGTH = Math.ceil(((16 + MAC_BYTES) * 8) / 5);

function base32(bytes: Buffer): string {
  let bits = 0;
  let value = 0;
  let out = '';
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += ALPHABET[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += ALPHABET[(value << (5 - bits)) & 31];
  return out;
}

function fromBase32(text: string): Buffer | null {
  let bits = 0;
  let value = 0;
  const out: number[] = [];
  for (const char of text) {
    const digit = ALPHABET.indexOf(char);
    if (digit < 0) return null;
    value = ((value << 5) | digit) & 0xffff;
    bits += 5;
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 255);
      bits -= 8;
    }
  }
  return Buffer.from(out);
}

function uuidBytes(id: string): Buffer {
  return Buffer.from(id.replace(/-/g, ''), 'hex');
}

function bytesUuid(bytes: Buffer): string {
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

function mac(key: Buffer, companyId: string, customerId: string): Buffer {
  return createHmac('sha256', key)
    .update(`reply\n${companyId.toLowerCase()}\n${customerId.toLowerCase()}`)
    .digest()
    .subarray(0, MAC_BYTES);
}

export function replyTag(key: Buffer, companyId: string, customerId: string): string {
  return base32(Buffer.concat([uuidBytes(customerId), mac(key, companyId, customerId)]));
}

/** The customer a tag names for this company, or null when the tag is malformed or not signed for it. */
export function customerOfTag(key: Buffer, companyId: string, tag: string): string | null {
  const text = tag.toLowerCase();
  if (text.length !== TAG_LENGTH) return null;
  const bytes = fromBase32(text);
  // Only the canonical spelling: the last character's unused bits must not give a second address per tag.
  if (bytes === null || bytes.length !== 16 + MAC_BYTES || base32(bytes) !== text) return null;
  const customerId = bytesUuid(bytes.subarray(0, 16));
  if (!isId(customerId)) return null;
  const expected = mac(key, companyId, customerId);
  return timingSafeEqual(expected, bytes.subarray(16, 16 + MAC_BYTES)) ? customerId : null;
}

/** `reponses@domain` with the tag: `reponses+<tag>@domain`. */
export function taggedAddress(replyAddress: string, tag: string): string {
  const at = replyAddress.lastIndexOf('@');
  return `${replyAddress.slice(0, at)}+${tag}${replyAddress.slice(at)}`;
}

/** A recipient split into the reply address it was made from and its tag, or null when it carries no tag. */
export function splitTagged(recipient: string): { base: string; tag: string } | null {
  const address = recipient.trim().replace(/^<|>$/g, '').toLowerCase();
  const at = address.lastIndexOf('@');
  if (at < 0) return null;
  const local = address.slice(0, at);
  const plus = local.lastIndexOf('+');
  if (plus <= 0) return null;
  return { base: `${local.slice(0, plus)}${address.slice(at)}`, tag: local.slice(plus + 1) };
}
