import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { getCompany } from '../../src/storage/companies.ts';
import { getLetterSettings } from '../../src/storage/documents.ts';
import { describeInBrowser, SCREENSHOTS, startWorld, visit, type World } from './support.ts';

const ONE_PIXEL_PNG =
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==';

/** The text of a received e-mail, its quoted-printable soft breaks and escapes undone. */
function bodyOf(raw: Buffer): string {
  return raw
    .toString('utf8')
    .replace(/=\r?\n/g, '')
    .replace(/=([0-9A-F]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}

describeInBrowser('going live in the web app', () => {
  let w: World;
  const shot = (name: string) => w.page.screenshot({ path: join(SCREENSHOTS, `${name}.png`) });
  beforeAll(async () => {
    w = await startWorld({ customers: 20, invoices: 200 });
    // The reset link is built from the public address, never from the request.
    process.env.RELANCE_PUBLIC_URL = w.url;
  }, 180_000);
  afterAll(async () => {
    delete process.env.RELANCE_PUBLIC_URL;
    await w?.close();
  });

  it('"mot de passe oublié": the link e-mailed opens a page that sets a new password, which then logs in', async () => {
    await visit(w, '/');
    await w.page.getByRole('button', { name: 'Mot de passe oublié ?' }).click();
    await w.page.locator('input[name=email]').fill(w.login.email);
    await w.page.getByRole('button', { name: 'Recevoir le lien' }).click();
    await w.page.getByRole('status').getByText('Si un compte existe pour cette adresse').waitFor();
    await shot('login-forgot');
    await expect.poll(() => w.sink.received.filter((m) => m.to.includes(w.login.email)).length).toBe(1);
    const mail = bodyOf(w.sink.received.find((m) => m.to.includes(w.login.email))!.raw);
    const link = /(http:\/\/127\.0\.0\.1:\d+\/reset-password\?token=[^\s]+)/.exec(mail)?.[1];
    expect(link, mail).toBeTruthy();

    await w.page.goto(link!);
    const password = 'nouveau mot de passe sûr';
    await w.page.locator('input[name=new-password]').fill(password);
    await w.page.getByRole('button', { name: 'Changer le mot de passe' }).click();
    await w.page.getByText('Mot de passe changé : connectez-vous avec le nouveau.').waitFor();
    // The old password no longer opens the account; the new one does.
    await w.page.locator('input[name=email]').fill(w.login.email);
    await w.page.locator('input[name=password]').fill(w.login.password);
    await w.page.getByRole('button', { name: 'Se connecter' }).click();
    await w.page.getByRole('alert').waitFor();
    await w.page.locator('input[name=password]').fill(password);
    await w.page.getByRole('button', { name: 'Se connecter' }).click();
    await w.page.getByRole('heading', { name: 'Tableau de bord' }).waitFor();
    w.login.password = password;
  });

  it('shows the demo banner and the set-up checklist on the dashboard, each step done or to do', async () => {
    await visit(w, '/');
    const banner = w.page.getByTestId('demo-banner');
    await banner
      .getByText('Données de démonstration : les clients, factures et relances affichés sont fictifs.')
      .waitFor();
    const checklist = w.page.getByTestId('setup-checklist');
    await checklist.getByText('Mise en service').waitFor();
    const state = async (step: string) =>
      (
        await checklist.getByRole('listitem').filter({ hasText: step }).locator('.mantine-Badge-label').textContent()
      )?.trim();
    // The demo admin, the demo identity and the test's SMTP server are there; no policy of its own, no real import.
    expect(await state('Un administrateur')).toBe('fait');
    expect(await state("L'identité de la société")).toBe('fait');
    expect(await state("L'envoi des e-mails")).toBe('fait');
    expect(await state('Le scénario de relance')).toBe('à faire');
    expect(await state('Le premier import')).toBe('à faire');
    await shot('dashboard-setup');
  });

  it("edits the company's legal identity, refusing a mistyped IBAN as it is typed", async () => {
    await visit(w, '/settings/company');
    const field = (label: string) => w.page.getByLabel(label, { exact: true });
    await expect.poll(() => field('Forme juridique').inputValue()).toBe('SAS');
    expect(await field('SIRET').inputValue()).toBe('73282932000074');
    expect(await field('Téléphone').inputValue()).toBe('04 72 00 00 00');
    await field('Forme juridique').fill('SARL');
    await field('RCS (ex. RCS Lyon 732 829 320)').fill('RCS Lyon 732 829 320');
    // The letterhead's logo, uploaded from the same page.
    await w.page.getByTestId('logo-state').getByText('Aucun logo').waitFor();
    await w.page.locator('input[type=file]').setInputFiles({
      name: 'logo.png',
      mimeType: 'image/png',
      buffer: Buffer.from(ONE_PIXEL_PNG, 'base64'),
    });
    await w.page.getByTestId('logo-state').getByText('Logo enregistré : PNG, 1 Ko').waitFor();
    expect((await getLetterSettings(w.store.db, w.company.id)).logo?.mediaType).toBe('image/png');
    await field('IBAN').fill('FR76 3000 6000 0112 3456 7890 188');
    await w.page.getByText('IBAN invalide : chiffres de contrôle faux').waitFor();
    const save = w.page.getByRole('button', { name: 'Enregistrer' });
    expect(await save.isDisabled()).toBe(true);
    await shot('settings-company-iban');
    await field('IBAN').fill('FR76 3000 6000 0112 3456 7890 189');
    await expect.poll(() => save.isDisabled()).toBe(false);
    await save.click();
    await expect.poll(async () => (await getCompany(w.store.db, w.company.id)).legalForm).toBe('SARL');
    expect(await getCompany(w.store.db, w.company.id)).toMatchObject({
      iban: 'FR7630006000011234567890189',
      rcs: 'RCS Lyon 732 829 320',
    });
    await visit(w, '/settings/company');
    await expect.poll(() => field('Forme juridique').inputValue()).toBe('SARL');
  });

  it('sets the SMTP server as separate fields with provider presets, and sends a test', async () => {
    await visit(w, '/settings/mail');
    const field = (label: string) => w.page.getByLabel(label, { exact: true });
    await expect.poll(() => field('Serveur SMTP').inputValue()).toBe('127.0.0.1');
    expect(await field('Port').inputValue()).toBe(String(w.sink.port));
    // A preset fills the server, port and security of the provider.
    await w.page.getByRole('combobox', { name: "Fournisseur d'e-mail" }).click();
    await w.page.getByRole('option', { name: 'OVHcloud' }).click();
    await expect.poll(() => field('Serveur SMTP').inputValue()).toBe('ssl0.ovh.net');
    expect(await field('Port').inputValue()).toBe('465');
    await shot('settings-mail');
    // Back to the test's own server (not saved), then a test message reaches it.
    await visit(w, '/settings/mail');
    const before = w.sink.received.length;
    await w.page.getByRole('button', { name: 'Envoyer un test' }).click();
    await w.page.getByText('Message accepté par').waitFor();
    expect(w.sink.received.length).toBe(before + 1);
  });

  it('purges the demonstration data from the banner, after a confirmation', async () => {
    await visit(w, '/');
    w.page.once('dialog', (dialog) => void dialog.accept());
    await w.page.getByRole('button', { name: 'Supprimer les données de démonstration' }).click();
    await w.page.getByText('Données de démonstration supprimées.').waitFor();
    await expect.poll(() => w.page.getByTestId('demo-banner').count()).toBe(0);
    const customers = await w.store.db
      .selectFrom('customers')
      .select('id')
      .where('company_id', '=', w.company.id)
      .execute();
    expect(customers).toEqual([]);
    // The identity was the demo's: the checklist now asks for the real one.
    const checklist = w.page.getByTestId('setup-checklist');
    await checklist.getByText("L'identité de la société").waitFor();
    await shot('dashboard-after-purge');
  });
});
