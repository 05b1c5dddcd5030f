import { describe, expect, it } from 'vitest';
import { identityGaps, identityRefusal, legalMentions, sendingNeedsOf } from '../../src/domain/identity.ts';
import { translator } from '../../src/i18n/index.ts';
import { workspace } from '../cli/support.ts';

const address = { line1: '12 rue des Lilas', line2: null, postcode: '69003', city: 'Lyon', country: 'FR' };
const empty = { line1: null, line2: null, postcode: null, city: null, country: 'FR' };

describe('the company identity a reminder needs', () => {
  it('asks for the address and IBAN of letters and the sender of e-mails, nothing more', () => {
    const letters = sendingNeedsOf([['email'], ['email', 'letter']]);
    expect(letters).toEqual({ letter: true, email: true, transfer: true });
    expect(identityGaps({ address: empty, iban: null }, null, letters)).toEqual(['address', 'iban', 'senderEmail']);
    expect(identityGaps({ address, iban: 'FR7630006000011234567890189' }, 'compta@lilas.fr', letters)).toEqual([]);
    expect(identityGaps({ address: empty, iban: null }, 'compta@lilas.fr', sendingNeedsOf([['email']]))).toEqual([]);
    // The placeholder sender is not one: receiving servers refuse it.
    expect(identityGaps({ address, iban: null }, 'relance@localhost', sendingNeedsOf([['email']]))).toEqual([
      'senderEmail',
    ]);
  });

  it('says what to fill in and where, in French and English, from the catalogue', () => {
    const refusal = identityRefusal(['address', 'iban']);
    expect(refusal).toEqual({
      key: 'outbox.identity.incomplete',
      params: { gaps: 'outbox.identity.address,outbox.identity.iban' },
    });
    const fr = translator('fr')(refusal.key, refusal.params);
    expect(fr).toMatch(/^Aucune relance ne peut partir .* Renseignez : l'adresse postale .* ; l'IBAN .*…\.$/);
    expect(fr).toContain('Paramètres › Société');
    expect(fr).toContain('relance company set --iban');
    const en = translator('en')(identityRefusal(['senderEmail']).key, identityRefusal(['senderEmail']).params);
    expect(en).toBe(
      'No reminder can leave until the company identity is complete. Fill in: the sender address of e-mails — ' +
        'Settings › Company (sender) or E-mail, or relance company set --sender-email ….',
    );
    const stopped = identityRefusal(['senderEmail'], true);
    expect(translator('fr')(stopped.key, stopped.params)).toMatch(
      /^l'identité de la société est incomplète, renseignez : l'adresse d'expédition/,
    );
  });

  it('prints the legal form, capital, registry and SIRET as one line', () => {
    expect(
      legalMentions(
        {
          legalForm: 'SARL',
          shareCapital: 1_000_000,
          rcs: 'RCS Lyon 732 829 320',
          siret: '73282932000074',
          currency: 'EUR',
        },
        'fr',
      ),
    ).toBe('SARL au capital de 10\u00a0000,00\u00a0€ · RCS Lyon 732 829 320 · SIRET 732 829 320 00074');
    expect(
      legalMentions({ legalForm: null, shareCapital: null, rcs: null, siret: null, currency: 'EUR' }, 'fr'),
    ).toBeNull();
  });
});

describe('a run from the command line', { timeout: 120_000 }, () => {
  it('is refused, naming what to fill in, until the identity its letters and e-mails need is set', async () => {
    const w = workspace();
    // A mail server is set (nothing is sent: the identity check refuses first), no sender address.
    const env = { RELANCE_MAIL_FROM: '', RELANCE_SMTP_URL: 'smtp://127.0.0.1:9' };
    await w.importFiles(
      [
        'customers',
        w.file(
          'c.csv',
          'code,name,kind,email,address1,postcode,city',
          'LIL,Lilas,company,a@lilas.fr,1 rue A,75001,Paris',
        ),
      ],
      [
        'invoices',
        w.file(
          'i.csv',
          'number,customer,issue_date,due_date,total,currency',
          'F1,LIL,2022-01-01,2022-01-01,180.00,EUR',
        ),
      ],
    );
    await w.run(
      'policy',
      'import',
      w.file(
        'p.json',
        JSON.stringify({
          name: 'p',
          minBalance: '0.01',
          minDaysBetween: 0,
          steps: [{ label: 'Relance', delayDays: 10, from: 'dueDate', channels: ['email', 'letter'] }],
        }),
      ),
      '--default',
    );
    const refused = await w.runWith(env, '--lang', 'fr', 'run', '--date', '2022-03-01');
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('Aucune relance ne peut partir');
    expect(refused.stderr).toContain('adresse postale');
    expect(refused.stderr).toContain('IBAN');
    expect(refused.stderr).toContain("adresse d'expédition");
    // In the reader's language, whatever the company's.
    expect((await w.runWith(env, 'run', '--date', '2022-03-01')).stderr).toContain("the company's postal address");
    expect(JSON.parse((await w.run('reminders', '--json')).stdout)).toEqual([]);

    const set = await w.run(
      'company',
      'set',
      '--name',
      'Lilas Conseil',
      '--legal-form',
      'SAS',
      '--capital',
      '5000',
      '--siret',
      '73282932000074',
      '--rcs',
      'RCS Lyon 732 829 320',
      '--address-line1',
      '12 rue des Lilas',
      '--postcode',
      '69003',
      '--city',
      'Lyon',
      '--iban',
      'FR7630006000011234567890189',
      '--sender-name',
      'Lilas Compta',
      '--sender-email',
      'compta@lilas-conseil.fr',
      '--json',
    );
    expect(set.code).toBe(0);
    expect(JSON.parse(set.stdout)).toMatchObject({
      legalForm: 'SAS',
      shareCapital: 500_000,
      siret: '73282932000074',
      senderEmail: 'compta@lilas-conseil.fr',
      address: { city: 'Lyon' },
    });
    const run = await w.runWith(env, 'run', '--date', '2022-03-01', '--json');
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ reminders: 1 });
    expect((await w.run('company', 'set', '--siret', '123')).stderr).toContain('SIRET');
  });
});
