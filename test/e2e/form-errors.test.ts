import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { getCompany } from '../../src/storage/companies.ts';
import { describeInBrowser, logIn, SCREENSHOTS, spaces, startWorld, visit, type World } from './support.ts';

/**
 * A refused form says why in the reader's language, naming the field: the server's reason is shown under the
 * input it is about, and the refusal in a notification, in French, or in English once the user chose English.
 */
describeInBrowser('refused forms in the reader language', () => {
  let w: World;
  beforeAll(async () => {
    w = await startWorld({ customers: 6, invoices: 40 });
    await logIn(w);
  }, 120_000);
  afterAll(async () => {
    await w?.close();
  });

  const field = (label: string) => w.page.getByLabel(label, { exact: true });
  const alert = () => w.page.locator('.mantine-Notification-root').last();

  it('names a bad SIRET under its field in French, and a template refused for an empty subject', async () => {
    await visit(w, '/settings/company');
    await field('SIRET').waitFor();
    await field('SIRET').fill('123');
    await w.page.getByRole('button', { name: 'Enregistrer' }).click();
    const under = w.page.getByText('un SIRET a 14 chiffres et une clé valide');
    await under.waitFor();
    expect(await field('SIRET').getAttribute('aria-invalid')).toBe('true');
    await expect
      .poll(async () => spaces(await alert().textContent()))
      .toContain("« 123 » n'est pas un SIRET (14 chiffres avec une clé valide).");
    await w.page.screenshot({ path: join(SCREENSHOTS, 'settings-company-refused-fr.png') });
    expect((await getCompany(w.store.db, w.company.id)).siret).not.toBe('123');
    // Typing in the field takes the server's reason away: it was about the value sent.
    await field('SIRET').fill('1234');
    await expect.poll(() => under.count()).toBe(0);

    await visit(w, '/settings/templates');
    await w.page.getByTestId('editor-mode').getByText('Source (experts)').click();
    await field('Objet').fill(' ');
    await w.page.getByRole('button', { name: 'Enregistrer' }).click();
    await expect
      .poll(async () => spaces(await alert().textContent()))
      .toMatch(/refusé : objet : ne doit pas être vide/);
  });

  it('says the same refusal in English when the user chose English', async () => {
    await w.page.evaluate("localStorage.setItem('relance.language', 'en')");
    await visit(w, '/settings/company');
    await w.page.getByRole('button', { name: 'Save' }).waitFor();
    await field('SIRET').fill('123');
    await w.page.getByRole('button', { name: 'Save' }).click();
    await w.page.getByText('a SIRET has 14 digits and a valid key').waitFor();
    await expect
      .poll(async () => spaces(await alert().textContent()))
      .toContain('"123" is not a SIRET (14 digits with a valid key).');
    await w.page.screenshot({ path: join(SCREENSHOTS, 'settings-company-refused-en.png') });
    await w.page.evaluate("localStorage.removeItem('relance.language')");
  });
});
