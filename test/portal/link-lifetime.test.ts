import { describe, expect, it } from 'vitest';
import { portalUrlsFor } from '../../src/portal/portal-links.ts';
import { updateCompany } from '../../src/storage/companies.ts';
import { workspace } from '../cli/support.ts';
import { call, fixture } from '../http/support.ts';
import { expectAppError } from '../repositories/helpers.ts';
import { dialects } from '../support/stores.ts';

const BASE = 'https://pay.example.test';
const DAY = 86_400_000;

describe.each(dialects)('the payment-page link lifetime on %s', (dialect) => {
  it('is 60 days unless the company chooses 1 to 365, and reminders renew a link past half of it', async () => {
    const f = await fixture(dialect);
    try {
      const issue = (customerId: string) =>
        call(f.app, f.tokens.admin, 'POST', `/api/v1/customers/${customerId}/portal-links`, undefined);
      const previous = process.env.RELANCE_PUBLIC_URL;
      process.env.RELANCE_PUBLIC_URL = BASE;
      try {
        expect((await call(f.app, f.tokens.admin, 'GET', '/api/v1/company')).body.portalLinkDays).toBe(60);
        expect((await issue(f.alpha.marie.id)).body.expiresInDays).toBe(60);

        const set = await call(f.app, f.tokens.admin, 'PATCH', '/api/v1/company', { portalLinkDays: 10 });
        expect(set.status).toBe(200);
        expect(set.body.portalLinkDays).toBe(10);
        const before = Date.now();
        expect((await issue(f.alpha.paul.id)).body.expiresInDays).toBe(10);
        const [link] = await f.store.db
          .selectFrom('portal_links')
          .select('expires_at')
          .where('customer_id', '=', f.alpha.paul.id)
          .execute();
        const left = Date.parse(link!.expires_at) - before;
        expect(left).toBeGreaterThanOrEqual(10 * DAY - 60_000);
        expect(left).toBeLessThanOrEqual(10 * DAY + 60_000);

        // A reminder reuses Paul's link while 5 of its 10 days are left, and makes a new one after.
        const { db } = f.store;
        const first = await portalUrlsFor(db, f.alpha.company.id, [f.alpha.paul.id]);
        const again = await portalUrlsFor(db, f.alpha.company.id, [f.alpha.paul.id]);
        expect(again.get(f.alpha.paul.id)).toBe(first.get(f.alpha.paul.id));
        const soon = new Date(Date.now() + 4 * DAY).toISOString();
        await db
          .updateTable('portal_links')
          .set({ expires_at: soon })
          .where('customer_id', '=', f.alpha.paul.id)
          .execute();
        const renewed = await portalUrlsFor(db, f.alpha.company.id, [f.alpha.paul.id]);
        expect(renewed.get(f.alpha.paul.id)).not.toBe(first.get(f.alpha.paul.id));

        // Out of bounds: the API refuses the body; the use case (CLI, imports) with the setting's own message.
        const refused = await call(f.app, f.tokens.admin, 'PATCH', '/api/v1/company', { portalLinkDays: 366 });
        expect(refused.status).toBe(422);
        for (const days of [0, 366, 1.5]) {
          const error = await expectAppError(
            updateCompany(db, f.alpha.company.id, { portalLinkDays: days }),
            'invalid_input',
          );
          expect(error.messageKey).toBe('problem.company.portalLinkDays');
        }
        expect((await call(f.app, f.tokens.admin, 'GET', '/api/v1/company')).body.portalLinkDays).toBe(10);
      } finally {
        if (previous === undefined) delete process.env.RELANCE_PUBLIC_URL;
        else process.env.RELANCE_PUBLIC_URL = previous;
      }
    } finally {
      await f.dispose();
    }
  });
});

describe('relance company set --portal-link-days', () => {
  it('sets the lifetime and refuses one out of bounds in the language of the messages', async () => {
    const w = workspace();
    const set = await w.run('--lang', 'fr', 'company', 'set', '--portal-link-days', '30', '--notify-answers', 'off');
    expect(set.code, set.stderr).toBe(0);
    expect(set.stdout.trim()).toBe('Réglages de la société enregistrés (2 réglages modifiés).');
    const fr = await w.run('--lang', 'fr', 'company', 'set', '--portal-link-days', '400');
    expect(fr.code).toBe(1);
    expect(fr.stderr).toContain(
      'La durée de validité des liens de la page de paiement (400) doit être un nombre entier de jours de 1 à 365.',
    );
  });
});
