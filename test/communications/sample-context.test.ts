import { describe, expect, it } from 'vitest';
import { sampleContextFor } from '../../src/communications/load-context.ts';
import { sampleMessageContext } from '../../src/communications/sample-context.ts';
import type { Company } from '../../src/domain/ledger.ts';

const company: Company = {
  id: '00000000-0000-4000-8000-00000000abcd',
  legalName: 'Menuiserie Léon',
  siren: null,
  vatNumber: null,
  iban: null,
  bic: null,
  currency: 'EUR',
  timeZone: 'Europe/Paris',
  locale: 'fr',
  letterhead: null,
  address: { line1: '4 place du Marché', line2: null, postcode: '35000', city: 'Rennes', country: 'FR' },
  automation: { enabled: false, time: '09:00', skipWeekends: true, skipHolidays: true },
  paymentLinkPattern: 'https://pay.example.fr/leon?ref={{ reference }}&amount={{ amount }}',
  formalNoticeDays: 10,
};

describe('sample contexts', () => {
  it("follow the default policy's levels with dates relative to the chosen day", () => {
    expect(sampleMessageContext('fr', 0).level).toMatchObject({ number: 0, label: 'Standard' });
    const pre = sampleMessageContext('fr', 1, '2026-06-01');
    expect(pre.level.label).toBe('Prérelance');
    expect(pre.invoices.every((i) => i.dueDate > '2026-06-01' && i.daysOverdue === 0)).toBe(true);
    const notice = sampleMessageContext('en', 4, '2026-06-01');
    expect(notice.level).toMatchObject({ label: 'Formal notice', formalNotice: true });
    expect(notice.payment).toMatchObject({ deadline: '2026-06-09', deadlineText: '9 June 2026', deadlineDays: 8 });
    expect(notice.invoices.map((i) => i.daysOverdue)).toEqual([45, 20]);
  });

  it('are signed by the real company for previews and test sends', () => {
    const context = sampleContextFor(company, 'fr', 4, '2026-06-01');
    expect(context.company).toMatchObject({
      legalName: 'Menuiserie Léon',
      city: 'Rennes',
      iban: null,
      address: { block: ['4 place du Marché', '35000 Rennes'] },
    });
    expect(context.payment).toMatchObject({
      deadline: '2026-06-11',
      deadlineDays: 10,
      link: 'https://pay.example.fr/leon?ref=FA-2026-0042%20FA-2026-0057&amount=1534.56',
    });
    expect(sampleContextFor({ ...company, paymentLinkPattern: null }, 'fr', 2).payment).toMatchObject({
      link: null,
      deadline: null,
    });
  });
});
