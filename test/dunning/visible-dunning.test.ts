import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runReminders } from '../../src/dunning/run-reminders.ts';
import { savePolicy } from '../../src/dunning/save-policy.ts';
import { listSentReminders, planFor } from '../../src/dunning/visible-dunning.ts';
import { systemActor } from '../../src/shared/actor.ts';
import { createCompany } from '../../src/storage/companies.ts';
import { createCustomer } from '../../src/storage/customers.ts';
import { createInvoice } from '../../src/storage/invoices.ts';
import { dialects } from '../support/stores.ts';
import { customerInput, invoiceInput, LETTER_IDENTITY, useStore } from '../repositories/helpers.ts';

const dataDir = mkdtempSync(join(tmpdir(), 'relance-visible-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

/** The plan and the sent reminders, as the API and the command line read them, for each kind of reader. */
describe.each(dialects)('the plan and the reminders sent, as the caller may see them, on %s', (dialect) => {
  const store = useStore(dialect);

  it('a collector restricted to a représentant reads its own customers only; whoever sees all reads all', async () => {
    const { db } = store();
    const company = await createCompany(db, { legalName: 'Atelier Durand', ...LETTER_IDENTITY });
    for (const [code, salesRep] of [
      ['MARTIN', 'Marie'],
      ['LEROY', 'Paul'],
    ] as const) {
      const customer = await createCustomer(db, company.id, customerInput(code, { salesRep }));
      await createInvoice(db, company.id, customer.id, invoiceInput(`F-${code}`, { dueDate: '2026-01-31' }));
    }
    const all = systemActor(company.id);
    await savePolicy(db, all, {
      definition: {
        name: 'courrier',
        minBalance: '0.01',
        minDaysBetween: 0,
        steps: [{ label: 'Relance 1', delayDays: 10, from: 'dueDate', channels: ['letter'] }],
      },
      makeDefault: true,
    });
    const marie = { companyId: company.id, salesRep: 'Marie' };

    const invoices = (plan: { items: { invoice: string }[] }) => plan.items.map((i) => i.invoice).sort();
    expect(invoices(await planFor(db, all, { date: '2026-03-01' }))).toEqual(['F-LEROY', 'F-MARTIN']);
    const hers = await planFor(db, marie, { date: '2026-03-01' });
    expect(invoices(hers)).toEqual(['F-MARTIN']);
    expect(hers.communications.map((c) => c.customer)).toEqual(['MARTIN']);

    await runReminders(db, all, { date: '2026-03-01', dataDir });
    const sent = (items: { invoice: string }[]) => items.map((r) => r.invoice).sort();
    expect(sent(await listSentReminders(db, all))).toEqual(['F-LEROY', 'F-MARTIN']);
    expect(sent(await listSentReminders(db, marie))).toEqual(['F-MARTIN']);
    expect(await listSentReminders(db, marie, { customerCode: 'LEROY' })).toEqual([]);
  });
});
