import { afterAll, beforeAll, expect, it } from 'vitest';
import { addUser } from '../../src/accounts/auth.ts';
import { createCompany } from '../../src/storage/companies.ts';
import { findUserByEmail, getMembership } from '../../src/storage/users.ts';
import { describeInBrowser, logIn, startWorld, visit, type World } from './support.ts';

/**
 * An existing account added to another company is only invited: the person sees the invitation in the menu,
 * opens the invitations screen (the address an invitation points to), and joins by accepting, or declines.
 */
describeInBrowser('invitations in Chromium', () => {
  let w: World;
  let joining: { id: string };
  let declining: { id: string };
  let userId: string;

  beforeAll(async () => {
    w = await startWorld({ customers: 5, invoices: 20 });
    userId = (await findUserByEmail(w.store.db, w.login.email))!.id;
    joining = await createCompany(w.store.db, { legalName: 'Atelier Invitant SARL' });
    declining = await createCompany(w.store.db, { legalName: 'Cabinet Refusé SAS' });
    for (const [company, role] of [
      [joining, 'collector'],
      [declining, 'viewer'],
    ] as const) {
      const added = await addUser(w.store.db, company.id, {
        email: w.login.email,
        role,
        invitedBy: 'patron@atelier.example',
      });
      expect(added.invited).toBe(true);
    }
    await logIn(w);
  }, 180_000);
  afterAll(async () => {
    await w?.close();
  });

  it('the menu shows the waiting invitations; declining one forgets it, accepting the other opens that company', async () => {
    const { page } = w;
    const link = page.getByTestId('invitations-link');
    await expect.poll(() => link.textContent()).toBe('Invitations (2)');
    // Nothing joined before an answer.
    expect(await getMembership(w.store.db, joining.id, userId)).toBeFalsy();
    await link.click();
    await page.getByRole('heading', { name: 'Invitations' }).waitFor();
    const cards = page.getByTestId('invitation');
    expect(await cards.count()).toBe(2);
    const atelier = page.locator('[data-testid=invitation][data-company="Atelier Invitant SARL"]');
    expect(await atelier.textContent()).toContain('Rôle proposé : Recouvrement');
    expect(await atelier.textContent()).toContain('Invitation de patron@atelier.example');

    await page
      .locator('[data-testid=invitation][data-company="Cabinet Refusé SAS"]')
      .getByRole('button', { name: 'Refuser' })
      .click();
    await expect.poll(() => cards.count()).toBe(1);
    expect(await getMembership(w.store.db, declining.id, userId)).toBeFalsy();

    await atelier.getByRole('button', { name: 'Accepter' }).click();
    await page.getByRole('heading', { name: 'Tableau de bord' }).waitFor();
    await expect.poll(() => page.getByTestId('company-switch').inputValue()).toBe('Atelier Invitant SARL');
    expect(await getMembership(w.store.db, joining.id, userId)).toMatchObject({ role: 'collector' });
    expect(await page.getByTestId('invitations-link').count()).toBe(0);

    // The screen itself, reached by its address, says when nothing is waiting.
    await visit(w, '/invitations');
    await page.getByText('Aucune invitation en attente.').waitFor();
  });
});
