import type { ParseResult } from '../../domain/money.ts';

/** ISO 7064 MOD 97-10 over letters (A=10 … Z=35) and digits, computed piecewise to stay in safe integers. */
function mod97(text: string): number {
  let remainder = 0;
  for (const ch of text) {
    const value = /[A-Z]/.test(ch) ? String(ch.charCodeAt(0) - 55) : ch;
    for (const digit of value) remainder = (remainder * 10 + Number(digit)) % 97;
  }
  return remainder;
}

/** An IBAN without spaces, its check digits verified (ISO 13616). */
export function parseIban(input: string): ParseResult<string> {
  const iban = input.replace(/[\s-]/g, '').toUpperCase();
  if (!/^[A-Z]{2}\d{2}[A-Z0-9]{11,30}$/.test(iban)) return { ok: false, reason: `"${input}" is not an IBAN` };
  if (mod97(iban.slice(4) + iban.slice(0, 4)) !== 1)
    return { ok: false, reason: `"${input}" has wrong IBAN check digits` };
  return { ok: true, value: iban };
}

/** A BIC of 8 or 11 characters (ISO 9362). */
export function parseBic(input: string): ParseResult<string> {
  const bic = input.replace(/\s/g, '').toUpperCase();
  if (!/^[A-Z]{6}[A-Z2-9][A-NP-Z0-9]([A-Z0-9]{3})?$/.test(bic)) return { ok: false, reason: `"${input}" is not a BIC` };
  return { ok: true, value: bic };
}

/**
 * A SEPA creditor identifier (ICS in France, e.g. FR12ZZZ123456): country, two check digits computed
 * over the national identifier and the country (the 3-character business code is left out of the check).
 */
export function parseCreditorId(input: string): ParseResult<string> {
  const id = input.replace(/\s/g, '').toUpperCase();
  const match = /^([A-Z]{2})(\d{2})([A-Z0-9]{3})([A-Z0-9]{1,28})$/.exec(id);
  if (!match)
    return {
      ok: false,
      reason: `"${input}" is not a SEPA creditor identifier (FR + 2 digits + 3 characters + national id)`,
    };
  if (mod97(`${match[4]}${match[1]}${match[2]}`) !== 1)
    return { ok: false, reason: `"${input}" has wrong check digits` };
  return { ok: true, value: id };
}

/**
 * Text in the SEPA character set (a-z A-Z 0-9 / - ? : ( ) . , ' + space): accents are dropped, anything
 * else becomes a space, and the result is cut to `max` characters.
 */
export function sepaText(text: string, max: number): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[Œœ]/g, 'oe')
    .replace(/&/g, '+')
    .replace(/[^A-Za-z0-9/\-?:().,'+ ]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, max)
    .trim();
}

/**
 * An identifier (end-to-end id) in the SEPA character set without spaces: what the bank returns on the
 * statement must be exactly what relance stored, so it is made safe before it is stored, not when written.
 * The EPC guidelines also refuse an identifier that starts or ends with "/" or contains "//".
 */
export function sepaIdentifier(text: string, max: number): string {
  const trimSlashes = (id: string) => id.replace(/\/{2,}/g, '/').replace(/^\/+|\/+$/g, '');
  return (
    trimSlashes(
      trimSlashes(
        text
          .normalize('NFD')
          .replace(/[\u0300-\u036f]/g, '')
          .replace(/[^A-Za-z0-9/\-?:().,'+]/g, '-'),
      ).slice(0, max),
    ) || 'X'
  );
}

/**
 * Whether a mandate reference (RUM) can be written in a SEPA file: 1 to 35 characters of the SEPA set
 * without spaces, not starting or ending with "/" and without "//" (EPC implementation guidelines).
 */
export function isMandateReference(text: string): boolean {
  return /^[A-Za-z0-9\-?:().,'+]+(\/[A-Za-z0-9\-?:().,'+]+)*$/.test(text) && text.length <= 35;
}
