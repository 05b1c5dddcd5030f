import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { setupChecklist } from '../../src/accounts/setup-checklist.ts';
import { smtpUrlFromFields, SMTP_PRESETS } from '../../src/mail/smtp-presets.ts';
import { ensureDefaultCompany } from '../../src/storage/companies.ts';
import { dialects, freshStore } from '../support/stores.ts';
import { workspace } from '../cli/support.ts';

describe('SMTP from separate fields', () => {
  it('builds the URL of each security, encoding the user and password', () => {
    expect(smtpUrlFromFields({ ...SMTP_PRESETS.ovh!, user: 'compta@lilas.fr', password: 'p@ss:word/1' })).toBe(
      'smtps://compta%40lilas.fr:p%40ss%3Aword%2F1@ssl0.ovh.net:465',
    );
    expect(smtpUrlFromFields({ ...SMTP_PRESETS.office365!, user: 'a', password: 'b' })).toBe(
      'smtp://a:b@smtp.office365.com:587?requireTLS=true',
    );
    expect(smtpUrlFromFields({ host: 'localhost', port: 25, security: 'none' })).toBe(
      'smtp://localhost:25?ignoreTLS=true',
    );
    expect(() => smtpUrlFromFields({ host: 'bad host', port: 25, security: 'none' })).toThrow(/not a host name/);
  });
});

for (const dialect of dialects) {
  describe(`the set-up checklist on ${dialect}`, () => {
    it('starts with every step to do on a new installation', async () => {
      const store = await freshStore(dialect);
      try {
        const company = await ensureDefaultCompany(store.db);
        const checklist = await setupChecklist(store.db, company.id);
        expect(checklist.done).toBe(false);
        expect(checklist.steps.map((s) => [s.key, s.done])).toEqual([
          ['admin', false],
          ['identity', false],
          ['smtp', false],
          ['policy', false],
          ['import', false],
        ]);
        expect(checklist.steps[1]!.missing).toEqual(expect.arrayContaining(['address', 'iban', 'siret', 'legalName']));
      } finally {
        await store.dispose();
      }
    });
  });
}

const ONE_PIXEL_PNG =
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==';

describe('relance setup from a script', { timeout: 180_000 }, () => {
  it('sets up the administrator, identity, SMTP, policy and first import in one call, and says what is done', async () => {
    const w = workspace();
    const customers = w.file('c.csv', 'code,name,kind,email', 'C1,Acme SARL,company,compta@acme.fr');
    const logo = join(w.dir, 'logo.png');
    writeFileSync(logo, Buffer.from(ONE_PIXEL_PNG, 'base64'));
    const result = await w.run(
      'setup',
      '--logo',
      logo,
      '--no-interactive',
      '--admin-email',
      'gerant@lilas.fr',
      '--name',
      'Lilas Conseil',
      '--legal-form',
      'SAS',
      '--capital',
      '10000',
      '--siret',
      '73282932000074',
      '--address-line1',
      '12 rue des Lilas',
      '--postcode',
      '69003',
      '--city',
      'Lyon',
      '--iban',
      'FR7630006000011234567890189',
      '--sender-email',
      'compta@lilas-conseil.fr',
      '--smtp-preset',
      'ovh',
      '--smtp-user',
      'compta@lilas-conseil.fr',
      '--smtp-password',
      'secret',
      '--policy',
      'default',
      '--import-customers',
      customers,
    );
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/Administrator gerant@lilas\.fr created with password \S+ \(shown once\)/);
    expect(result.stdout).toContain('Imported customers from c.csv: 1 created');
    expect(result.stdout).toContain('Ready: relance serve');
    const company = JSON.parse((await w.run('company', 'show')).stdout) as Record<string, unknown>;
    expect(company).toMatchObject({ legalName: 'Lilas Conseil', legalForm: 'SAS', shareCapital: 1_000_000 });
    expect((await w.run('mail', 'show')).stdout).toContain('ssl0.ovh.net');
    expect((await w.run('letter-settings')).stdout).toContain('logo: image/png');
  });

  it('says and refuses in French by default, with real plurals, its checklist in the same words', async () => {
    const w = workspace();
    const customers = w.file(
      'c.csv',
      'code,name,kind,email',
      'C1,Acme SARL,company,a@acme.fr',
      'C2,Bolt SAS,company,b@bolt.fr',
    );
    const french = (...args: string[]) => w.runWith({ LANG: 'fr_FR.UTF-8' }, ...args);
    const result = await french(
      'setup',
      '--no-interactive',
      '--admin-email',
      'gerant@lilas.fr',
      '--import-customers',
      customers,
    );
    expect(result.stderr).toBe('');
    expect(result.stdout).toMatch(
      /Administrateur gerant@lilas\.fr créé avec le mot de passe \S+ \(affiché une seule fois\)/,
    );
    expect(result.stdout).toContain('c.csv (clients) importé : 2 fiches créées, 0 fiche mise à jour.');
    expect(result.stdout).toContain('Mise en service :');
    expect(result.stdout).toContain('[x] Administrateur');
    expect(result.stdout).toMatch(/\[ \] Identité de la société — à faire : adresse, IBAN, SIRET, raison sociale/);
    expect(result.stdout).toContain('[ ] E-mail (SMTP, expéditeur) — à faire : serveur SMTP');
    expect(result.stdout).toContain("ou terminez dans l'application web (Paramètres).");
    expect(result.stdout).not.toMatch(/Administrator|to do|Set-up|Imported/);
    const refused = await french(
      'setup',
      '--no-interactive',
      '--smtp-host',
      'mail.example.fr',
      '--smtp-security',
      'ssl',
    );
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('--smtp-security : utilisez tls, starttls ou none.');
    const english = await w.run('--lang', 'en', 'setup', '--no-interactive', '--policy', join(w.dir, 'none.json'));
    expect(english.stderr).toContain('Cannot read');
    expect(english.stderr).toContain('none.json: no such file.');
  });
});
