import nodemailer from 'nodemailer';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startReplyListener, type ReplyListener } from '../../src/mail/replies.ts';
import { getMailSettings, saveMailSettings } from '../../src/mail/settings.ts';
import { replyToFor } from '../../src/replies/reply-address.ts';
import { describeInBrowser, logIn, visit, type World, startWorld } from './support.ts';

/**
 * A customer's answer as the collector meets it: received by the reply listener over SMTP, listed on the dashboard
 * and on the customer's page as plain text with its attachment, and "Marquer comme lue" lifting the hold.
 */
describeInBrowser('customer answers in Chromium', () => {
  let w: World;
  let listener: ReplyListener;

  beforeAll(async () => {
    w = await startWorld({ customers: 8, invoices: 60 });
    await saveMailSettings(w.store.db, w.company.id, { replyAddress: 'reponses@menuiserie.example' });
    listener = await startReplyListener(w.store.db, { port: 0 });
    await logIn(w);
  }, 180_000);
  afterAll(async () => {
    await listener?.close();
    await w?.close();
  });

  async function unreadSince(customerId: string) {
    const row = await w.store.db
      .selectFrom('customers')
      .select('reply_unread_since')
      .where('company_id', '=', w.company.id)
      .where('id', '=', customerId)
      .executeTakeFirstOrThrow();
    return row.reply_unread_since;
  }

  it('shows the answer on the dashboard and the customer page, as text, and "Marquer comme lue" lifts the hold', async () => {
    const { page, store, company } = w;
    const customer = await store.db
      .selectFrom('customers')
      .select(['id', 'name'])
      .where('company_id', '=', company.id)
      .orderBy('code')
      .executeTakeFirstOrThrow();
    const replyTo = (await replyToFor(store.db, company.id, await getMailSettings(store.db, company.id)))(customer.id);
    const transport = nodemailer.createTransport({
      host: '127.0.0.1',
      port: listener.port,
      secure: false,
      ignoreTLS: true,
    });
    await transport.sendMail({
      from: 'Compta client <compta@client.example>',
      to: replyTo!,
      subject: 'Re: Votre relance',
      text: 'Je conteste la facture <img src=x onerror="window.__pwned=1"> : livraison incomplète.',
      html: '<p>Je conteste la facture <img src=x onerror="window.__pwned=1"> : livraison incomplète.</p>',
      attachments: [
        { filename: 'bon-de-livraison.pdf', content: Buffer.from('%PDF-1.4 bon'), contentType: 'application/pdf' },
      ],
    });
    transport.close();
    expect(await unreadSince(customer.id)).not.toBeNull();

    await visit(w, '/');
    const card = page.getByTestId('unread-replies');
    await expect.poll(async () => await card.textContent()).toContain(customer.name);
    expect(await card.textContent()).toContain('Réponse client à lire');

    await visit(w, `/customers/${customer.id}`);
    const reply = page.getByTestId('customer-reply').first();
    await expect.poll(() => reply.getAttribute('data-unread')).toBe('true');
    expect(await reply.textContent()).toContain('livraison incomplète');
    expect(await reply.textContent()).toContain('À lire');
    expect(await page.evaluate(() => (globalThis as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
    expect(await reply.locator('img').count()).toBe(0);
    const link = reply.getByRole('link', { name: 'bon-de-livraison.pdf' });
    const downloaded = await page.request.get(new URL((await link.getAttribute('href'))!, w.url).toString());
    expect(downloaded.status()).toBe(200);
    expect(downloaded.headers()['content-disposition']).toMatch(/^attachment;/);
    expect((await downloaded.body()).toString()).toBe('%PDF-1.4 bon');

    await reply.getByRole('button', { name: 'Marquer comme lue' }).click();
    await expect.poll(() => reply.getAttribute('data-unread')).toBe('false');
    expect(await unreadSince(customer.id)).toBeNull();
  });
});
