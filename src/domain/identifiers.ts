import type { ParseResult } from './money.ts';

function luhnValid(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

/** SIREN (9 digits) or SIRET (14 digits, whose first 9 are the SIREN); both carry a Luhn key. */
export function parseSiren(input: string): ParseResult<string> {
  const digits = input.replace(/[\s.\u00a0]/g, '');
  if (!/^\d{9}$|^\d{14}$/.test(digits)) {
    return {
      ok: false,
      reason: `"${input}" is not a SIREN (9 digits) or SIRET (14 digits)`,
      code: 'parse.notSiren',
      params: { value: input },
    };
  }
  // La Poste's establishments (SIREN 356000000) follow another key rule; accept them as they are.
  const laPoste = digits.startsWith('356000000');
  if (!laPoste && (!luhnValid(digits) || !luhnValid(digits.slice(0, 9)))) {
    return {
      ok: false,
      reason: `"${input}" has a wrong check digit`,
      code: 'parse.checkDigit',
      params: { value: input },
    };
  }
  return { ok: true, value: digits.slice(0, 9) };
}

/** French VAT key: FR + 2 check characters + SIREN; other EU numbers are checked for shape only. */
export function parseVatNumber(input: string): ParseResult<string> {
  const vat = input.replace(/[\s.\-\u00a0]/g, '').toUpperCase();
  if (vat.startsWith('FR')) {
    const match = /^FR([0-9A-Z]{2})(\d{9})$/.exec(vat);
    if (!match) {
      return {
        ok: false,
        reason: `"${input}" is not a French VAT number (FR + 11 characters)`,
        code: 'parse.notFrenchVat',
        params: { value: input },
      };
    }
    const key = match[1]!;
    if (/^\d{2}$/.test(key)) {
      const expected = (12 + 3 * (Number(match[2]) % 97)) % 97;
      if (Number(key) !== expected)
        return {
          ok: false,
          reason: `"${input}" has a wrong check key`,
          code: 'parse.checkDigit',
          params: { value: input },
        };
    }
    return { ok: true, value: vat };
  }
  if (!/^[A-Z]{2}[0-9A-Z+*]{2,13}$/.test(vat)) {
    return {
      ok: false,
      reason: `"${input}" is not a VAT number (country prefix + 2 to 13 characters)`,
      code: 'parse.notVat',
      params: { value: input },
    };
  }
  return { ok: true, value: vat };
}

const LOCAL_PART = /^[^\s@<>()[\]\\,;:"]+$/u;
const DOMAIN = /^(?:[\p{L}\p{N}](?:[\p{L}\p{N}-]*[\p{L}\p{N}])?\.)+\p{L}{2,}$/u;
/** A line break or any control character could start a mail header of its own where the address is written. */
const CONTROL = /[\p{Cc}\u2028\u2029]/u;

/**
 * One e-mail address, as it may be written into a message header: a local part without spaces, quotes or
 * separators (no leading, trailing or double dot), and a domain of letters, digits and hyphens (accented
 * letters allowed) whose last label is letters; never a control character (CR/LF included).
 */
export function isEmail(value: string): boolean {
  if (value.length > 254 || CONTROL.test(value)) return false;
  const at = value.lastIndexOf('@');
  if (at <= 0 || at > 64) return false;
  const local = value.slice(0, at);
  if (!LOCAL_PART.test(local) || local.startsWith('.') || local.endsWith('.') || local.includes('..')) return false;
  return DOMAIN.test(value.slice(at + 1));
}

/** ISO 7064 MOD 97-10 over letters (A=10 … Z=35) and digits, computed piecewise to stay in safe integers. */
export function mod97(text: string): number {
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
  if (!/^[A-Z]{2}\d{2}[A-Z0-9]{11,30}$/.test(iban))
    return { ok: false, reason: `"${input}" is not an IBAN`, code: 'parse.notIban', params: { value: input } };
  if (mod97(iban.slice(4) + iban.slice(0, 4)) !== 1)
    return {
      ok: false,
      reason: `"${input}" has wrong IBAN check digits`,
      code: 'parse.ibanCheckDigits',
      params: { value: input },
    };
  return { ok: true, value: iban };
}

/** A BIC of 8 or 11 characters (ISO 9362). */
export function parseBic(input: string): ParseResult<string> {
  const bic = input.replace(/\s/g, '').toUpperCase();
  if (!/^[A-Z]{6}[A-Z2-9][A-NP-Z0-9]([A-Z0-9]{3})?$/.test(bic))
    return { ok: false, reason: `"${input}" is not a BIC`, code: 'parse.notBic', params: { value: input } };
  return { ok: true, value: bic };
}
