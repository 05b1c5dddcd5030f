import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dialects } from '../support/stores.ts';
import { call, fixture, type Fixture } from './support.ts';

type Category = {
  key: string;
  label: string;
  level: number | null;
  inProgress: boolean;
  stepLabels: string[];
  count: number;
  balance: Record<string, number>;
};

describe.each(dialects)('Relances categories of held and not yet reminded invoices on %s', (dialect) => {
  let f: Fixture;
  let admin: (method: string, url: string, body?: unknown) => ReturnType<typeof call>;
  beforeAll(async () => {
    f = await fixture(dialect);
    admin = (method, url, body) => call(f.app, f.tokens.admin, method as never, url, body);
    await admin('PUT', '/api/v1/policies/standard?makeDefault=true', {
      steps: [
        { label: '1ère relance', delayDays: 10, from: 'dueDate', channels: ['email'] },
        { label: '2ème relance', delayDays: 15, from: 'previousStep', channels: ['email'] },
      ],
      minBalance: '15.00',
      minDaysBetween: 7,
    });
  });
  afterAll(async () => f.dispose());

  const categories = async (asOf: string): Promise<Category[]> =>
    (await admin('GET', `/api/v1/invoices/categories?asOf=${asOf}`)).body.categories;

  it('an invoice overdue before its first step is "upcoming", a disputed one is held with its reason, none vanishes', async () => {
    // A-F3 (500 €) fell due on 2025-03-01: 4 days late, its first reminder comes at J+10.
    expect((await categories('2025-03-05')).find((c) => c.key === 'upcoming')).toMatchObject({
      label: 'En retard, première relance à venir',
      count: 1,
      balance: { EUR: 50_000 },
    });
    const listed = await admin('GET', '/api/v1/invoices?category=upcoming&asOf=2025-03-05');
    expect(listed.body.items.map((i: { number: string }) => i.number)).toEqual(['A-F3']);

    expect(
      (await admin('PUT', `/api/v1/invoices/${f.alpha.invoice.id}/dispute`, { reason: 'Livraison incomplète' })).status,
    ).toBe(200);
    const held = (await categories('2025-03-05')).find((c) => c.key === 'held-disputed');
    expect(held).toMatchObject({ label: 'À traiter : en litige', level: null, inProgress: false, count: 1 });
    expect(
      (await admin('GET', '/api/v1/invoices?category=held-disputed&asOf=2025-03-05')).body.items.map(
        (i: { number: string }) => i.number,
      ),
    ).toEqual(['A-F1']);
  });

  it("names a level after every policy in use, a customer's own one included", async () => {
    await admin('PUT', '/api/v1/policies/grands-comptes', {
      steps: [{ label: 'Rappel amiable', delayDays: 10, from: 'dueDate', channels: ['email'] }],
      minBalance: '0.00',
      minDaysBetween: 7,
    });
    await admin('PUT', `/api/v1/customers/${f.alpha.paul.id}/hold`, { policy: 'grands-comptes' });
    const level1 = (await categories('2025-06-01')).find((c) => c.key === 'level-1');
    expect(level1?.label).toBe('1ère relance / Rappel amiable');
    // A client words the level in its own language from the policies' own names, not from the French label.
    expect(level1).toMatchObject({ level: 1, inProgress: false, stepLabels: ['1ère relance', 'Rappel amiable'] });
  });

  it("names the categories in the reader's language (Accept-Language, else the company's), a level by its steps", async () => {
    const labels = async (language?: string) => {
      const reply = await call(
        f.app,
        f.tokens.admin,
        'GET',
        '/api/v1/invoices/categories?asOf=2025-06-01',
        undefined,
        language ? { 'accept-language': language } : {},
      );
      return new Map((reply.body.categories as Category[]).map((c) => [c.key, c.label]));
    };
    const english = await labels('de-DE, en-GB;q=0.8, fr;q=0.5');
    expect(english.get('held-disputed')).toBe('To handle: disputed');
    expect(english.get('level-1')).toBe('1ère relance / Rappel amiable');
    expect((await labels('en;q=0.2, fr-FR')).get('held-disputed')).toBe('À traiter : en litige');
    expect((await labels()).get('held-disputed')).toBe('À traiter : en litige');
    expect((await labels('de')).get('held-disputed')).toBe('À traiter : en litige');
  });
});
