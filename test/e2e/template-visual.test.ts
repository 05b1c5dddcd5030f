import { afterAll, beforeAll, expect, it } from 'vitest';
import { listTemplates } from '../../src/templates/stored.ts';
import { axeViolations, describeInBrowser, logIn, SCREENSHOTS, startWorld, visit, type World } from './support.ts';
import { join } from 'node:path';

/**
 * The template editor as a bookkeeper uses it: the e-mail's body as formatted text, a variable picked from a list
 * written into the template underneath, the Liquid it cannot edit kept whole; the source editor stays for experts.
 */
describeInBrowser('visual template editor in Chromium', () => {
  let w: World;
  beforeAll(async () => {
    w = await startWorld({ customers: 6, invoices: 40 });
    await logIn(w);
  }, 120_000);
  afterAll(async () => {
    await w?.close();
  });

  it('writes a picked variable into the template, keeps the invoice table and its loop, and saves through the same checks', async () => {
    const { page, store, company } = w;
    await visit(w, '/settings/templates');
    const editor = page.getByTestId('visual-editor');
    await editor.waitFor();
    // The invoice table, with its loop, is a chip the editor never changes.
    await editor.locator('div.liquid-raw', { hasText: '⟨invoices⟩' }).waitFor();
    await editor.locator('.ProseMirror p').first().click();
    await page.keyboard.press('End');
    await page.keyboard.type(' Merci ');
    await page.getByTestId('variable-picker').fill('customer.name');
    await page.getByRole('option', { name: /^customer\.name —/ }).click();
    await page.screenshot({ path: join(SCREENSHOTS, 'settings-templates-visual.png'), fullPage: false });
    expect(await axeViolations(page)).toEqual([]);

    // The source editor shows the template underneath, with the variable written where the cursor was.
    await page.getByTestId('editor-mode').getByText('Source (experts)').click();
    const html = await page.getByLabel(/^Message \(HTML/).inputValue();
    expect(html).toContain('Merci {{ customer.name }}');
    expect(html).toContain('{% for invoice in invoices %}');
    expect(html).toMatch(/^<!DOCTYPE html>/);
    // The live preview renders it as the customer will read it.
    const preview = page.getByTestId('template-preview').locator('iframe');
    await expect.poll(async () => (await preview.getAttribute('srcdoc')) ?? '').toMatch(/Merci [^{]/);

    await page.getByRole('button', { name: 'Enregistrer' }).click();
    await page.getByText('Enregistré').first().waitFor();
    const saved = (await listTemplates(store.db, company.id)).filter((t) => t.custom);
    expect(saved).toHaveLength(1);
    expect(saved[0]!.html).toContain('Merci {{ customer.name }}');
    expect(saved[0]!.html).toContain('{% endfor %}');

    // Liquid the visual editor cannot be trusted with (a tag split across markup) opens in the source editor.
    await page.getByLabel(/^Message \(HTML/).fill('<p>{{ customer.name </p><p>}}</p>');
    await page.getByTestId('editor-mode').getByText('Éditeur visuel').click();
    await page.getByText(/l’éditeur visuel ne peut pas garder/).waitFor();
    expect(await page.getByLabel(/^Message \(HTML/).inputValue()).toBe('<p>{{ customer.name </p><p>}}</p>');
  });
});
