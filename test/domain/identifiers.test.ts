import { describe, expect, it } from 'vitest';
import { isEmail, parseSiren, parseVatNumber } from '../../src/domain/identifiers.ts';

/** The French VAT key of a SIREN, computed independently of the code under test. */
function frenchVatKey(siren: number): string {
  return String((12 + 3 * (siren % 97)) % 97).padStart(2, '0');
}

describe('parseSiren', () => {
  it.each([
    ['732829320', '732829320'],
    ['552100554', '552100554'],
    ['732 829 320', '732829320'],
    ['732.829.320', '732829320'],
    ['732\u00a0829\u00a0320', '732829320'],
  ])('accepts the SIREN %j as %s', (input, expected) => {
    expect(parseSiren(input)).toEqual({ ok: true, value: expected });
  });

  it('reduces a SIRET to its SIREN', () => {
    expect(parseSiren('73282932000074')).toEqual({ ok: true, value: '732829320' });
    expect(parseSiren('732 829 320 00074')).toEqual({ ok: true, value: '732829320' });
  });

  it('accepts La Poste establishments, which follow another key rule', () => {
    expect(parseSiren('35600000000048')).toEqual({ ok: true, value: '356000000' });
  });

  it.each(['732829321', '552100555', '73282932000075'])('refuses %j: wrong check digit', (input) => {
    const result = parseSiren(input);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason).toContain('wrong check digit');
  });

  it('refuses a SIRET whose own key is right but whose SIREN part has a wrong check digit', () => {
    // 73282932100007 passes the Luhn test on 14 digits, but 732829321 is not a valid SIREN.
    const result = parseSiren('73282932100007');
    expect(result.ok).toBe(false);
  });

  it.each(['73282932', '7328293200', '7328293200007', '732829320000745', '', 'ABCDEFGHI', '73282932O'])(
    'refuses %j: not 9 or 14 digits',
    (input) => {
      const result = parseSiren(input);
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.reason).toContain('is not a SIREN (9 digits) or SIRET (14 digits)');
    },
  );
});

describe('parseVatNumber', () => {
  it('checks the French key against the SIREN', () => {
    expect(frenchVatKey(732829320)).toBe('44');
    expect(parseVatNumber('FR44732829320')).toEqual({ ok: true, value: 'FR44732829320' });
    const key = frenchVatKey(552100554);
    expect(parseVatNumber(`FR${key}552100554`)).toEqual({ ok: true, value: `FR${key}552100554` });
  });

  it('normalises spaces, dots, dashes and case', () => {
    expect(parseVatNumber('fr 44 732 829 320')).toEqual({ ok: true, value: 'FR44732829320' });
    expect(parseVatNumber('FR-44.732.829.320')).toEqual({ ok: true, value: 'FR44732829320' });
  });

  it('refuses a wrong French key', () => {
    for (const wrong of ['FR45732829320', 'FR00732829320', 'FR43732829320']) {
      const result = parseVatNumber(wrong);
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.reason).toContain('wrong check key');
    }
  });

  it('reads a single-digit key written with its leading zero', () => {
    expect(parseSiren('732829338').ok).toBe(true);
    expect(frenchVatKey(732829338)).toBe('01');
    expect(parseVatNumber('FR01732829338')).toEqual({ ok: true, value: 'FR01732829338' });
    expect(parseVatNumber('FR02732829338').ok).toBe(false);
  });

  it('refuses a French number of the wrong shape', () => {
    const result = parseVatNumber('FR4473282932');
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason).toContain('is not a French VAT number');
  });

  it('accepts other EU numbers on their shape only', () => {
    expect(parseVatNumber('DE123456789')).toEqual({ ok: true, value: 'DE123456789' });
    expect(parseVatNumber('be 0123.456.789')).toEqual({ ok: true, value: 'BE0123456789' });
  });

  it('refuses numbers without a country prefix or too short', () => {
    for (const bad of ['123456789', 'D1', 'XX', '']) expect(parseVatNumber(bad).ok).toBe(false);
  });
});

describe('isEmail', () => {
  it.each(['a@b.fr', 'jean.dupont@example.com', 'compta+relance@acme-sarl.co.uk', 'facturation@société.fr'])(
    'accepts %j',
    (value) => {
      expect(isEmail(value)).toBe(true);
    },
  );

  it.each([
    'a@b',
    'a b@c.fr',
    '@b.fr',
    'a@b.c',
    'a@@b.fr',
    'jean.dupont',
    'a@b.fr;c@d.fr',
    '<a@b.fr>',
    '',
    'a@b.fr\r\nBcc: victim@evil.test',
    'a@b.fr\n',
    'a\u0000@b.fr',
    '.a@b.fr',
    'a..b@c.fr',
    'a@-b.fr',
    'a@b..fr',
    'a@b.fr.',
    'a@[127.0.0.1]',
    'a@b.123',
  ])('refuses %j', (value) => {
    expect(isEmail(value)).toBe(false);
  });
});
