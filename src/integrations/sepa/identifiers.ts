import { mod97 } from '../../domain/identifiers.ts';
import type { ParseResult } from '../../domain/money.ts';

// The IBAN and BIC checks live in the domain: the company's own bank details are checked by the same ones.
export { parseBic, parseIban } from '../../domain/identifiers.ts';

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
      code: 'reason.notCreditorId',
      params: { value: input },
    };
  if (mod97(`${match[4]}${match[1]}${match[2]}`) !== 1)
    return {
      ok: false,
      reason: `"${input}" has wrong check digits`,
      code: 'parse.checkDigit',
      params: { value: input },
    };
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
