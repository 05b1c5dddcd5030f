import { describe, expect, it } from 'vitest';
import { applySetup } from '../../src/accounts/setup.ts';
import { parseBic, parseIban } from '../../src/domain/identifiers.ts';
import { translator } from '../../src/i18n/index.ts';
import { AppError } from '../../src/shared/errors.ts';
import { ensureDefaultCompany, getCompany, updateCompany } from '../../src/storage/companies.ts';
import { call, fixture } from '../http/support.ts';
import { workspace } from '../cli/support.ts';
import { dialects, freshStore } from '../support/stores.ts';

const GOOD = 'FR76 3000 6000 0112 3456 7890 189';
// The same IBAN with its last digit mistyped: the shape is right, the check digits are not.
const TYPO = 'FR76 3000 6000 0112 3456 7890 188';

async function refusal(work: Promise<unknown>): Promise<AppError> {
  const error = await work.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AppError);
  return error as AppError;
}

describe('IBAN and BIC checks', () => {
  it('takes an IBAN with spaces or in small letters, and refuses a mistyped one by its check digits', () => {
    expect(parseIban(GOOD.toLowerCase())).toEqual({ ok: true, value: 'FR7630006000011234567890189' });
    expect(parseIban('DE89 3704 0044 0532 0130 00')).toEqual({ ok: true, value: 'DE89370400440532013000' });
    expect(parseIban(TYPO)).toMatchObject({ ok: false, code: 'parse.ibanCheckDigits' });
    // Two digits swapped, the commonest typing mistake, is caught too.
    expect(parseIban('FR76 3000 6000 0112 3456 7890 198')).toMatchObject({ ok: false, code: 'parse.ibanCheckDigits' });
    expect(parseIban('1234')).toMatchObject({ ok: false, code: 'parse.notIban' });
    expect(parseBic('agri fr pp')).toEqual({ ok: true, value: 'AGRIFRPP' });
    expect(parseBic('AGRIFRPPXXX')).toEqual({ ok: true, value: 'AGRIFRPPXXX' });
    expect(parseBic('AGRI')).toMatchObject({ ok: false, code: 'parse.notBic' });
  });
});

for (const dialect of dialects) {
  describe(`the company's bank details on ${dialect}`, () => {
    it('are refused when mistyped, naming the field in French and English, and nothing is written', async () => {
      const store = await freshStore(dialect);
      try {
        const company = await ensureDefaultCompany(store.db);
        const error = await refusal(updateCompany(store.db, company.id, { iban: TYPO, phone: '04 72 00 00 00' }));
        expect(error.code).toBe('invalid_input');
        expect(error.issues).toEqual([expect.objectContaining({ field: 'iban', code: 'parse.ibanCheckDigits' })]);
        expect(translator('fr')(error.messageKey!, error.params)).toBe(
          `Champ IBAN de la société : « ${TYPO} » a des chiffres de contrôle faux, il a sans doute été mal recopié. ` +
            'Corrigez-le dans Paramètres › Société, ou avec relance company set --iban.',
        );
        expect(translator('en')(error.messageKey!, error.params)).toContain('Company IBAN field');
        expect(await getCompany(store.db, company.id)).toMatchObject({ iban: null, phone: null });

        const bic = await refusal(updateCompany(store.db, company.id, { bic: 'AGRI' }));
        expect(translator('fr')(bic.messageKey!, bic.params)).toContain('Champ BIC de la société : « AGRI »');

        // A good one is kept as a bank prints it: no spaces, capitals.
        const saved = await updateCompany(store.db, company.id, { iban: GOOD.toLowerCase(), bic: 'agrifrpp' });
        expect(saved).toMatchObject({ iban: 'FR7630006000011234567890189', bic: 'AGRIFRPP' });
      } finally {
        await store.dispose();
      }
    });

    it('stored before the check existed, do not block other changes to the company', async () => {
      const store = await freshStore(dialect);
      try {
        const company = await ensureDefaultCompany(store.db);
        await store.db.updateTable('companies').set({ iban: 'FR00BAD' }).where('id', '=', company.id).execute();
        const saved = await updateCompany(store.db, company.id, { phone: '01 02 03 04 05' });
        expect(saved).toMatchObject({ iban: 'FR00BAD', phone: '01 02 03 04 05' });
      } finally {
        await store.dispose();
      }
    });

    it('refuse a set-up before its administrator is made', async () => {
      const store = await freshStore(dialect);
      try {
        const company = await ensureDefaultCompany(store.db);
        const error = await refusal(
          applySetup(store, company.id, { admin: { email: 'gerant@lilas.fr' }, identity: { iban: TYPO } }),
        );
        expect(error.messageKey).toBe('identity.ibanCheck');
        expect(await store.db.selectFrom('users').select('email').execute()).toEqual([]);
      } finally {
        await store.dispose();
      }
    });
  });
}

describe('a mistyped IBAN through the API and the command line', { timeout: 120_000 }, () => {
  it('answers 422 naming the field, with the message for the web app to show in its language', async () => {
    const f = await fixture('sqlite');
    try {
      const reply = await call(f.app, f.tokens.admin, 'PATCH', '/api/v1/company', { iban: TYPO });
      expect(reply.status).toBe(422);
      expect(reply.body).toMatchObject({
        code: 'invalid_input',
        messageKey: 'identity.ibanCheck',
        params: { value: TYPO },
        errors: [{ field: 'iban' }],
      });
    } finally {
      await f.dispose();
    }
  });

  it('is refused by relance company set in the language of the messages, naming the field', async () => {
    const w = workspace();
    const fr = await w.run('--lang', 'fr', 'company', 'set', '--iban', TYPO);
    expect(fr.code).toBe(1);
    expect(fr.stderr).toContain(`relance : Champ IBAN de la société : « ${TYPO} » a des chiffres de contrôle faux`);
    const en = await w.run('--lang', 'en', 'company', 'set', '--bic', 'AGRI');
    expect(en.code).toBe(1);
    expect(en.stderr).toContain('relance: Company BIC field: "AGRI" is not a BIC');
  });
});
