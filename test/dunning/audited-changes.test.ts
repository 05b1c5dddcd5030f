import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runReminders } from '../../src/dunning/run-reminders.ts';
import { savePolicy } from '../../src/dunning/save-policy.ts';
import { setCustomerHold } from '../../src/dunning/set-customer-hold.ts';
import { systemActor, type Actor } from '../../src/shared/actor.ts';
import { listAudit } from '../../src/storage/audit.ts';
import { createCompany } from '../../src/storage/companies.ts';
import { createCustomer, getCustomerByCode, getCustomerHold } from '../../src/storage/customers.ts';
import type { Db } from '../../src/storage/database.ts';
import { createInvoice } from '../../src/storage/invoices.ts';
import { dialects } from '../support/stores.ts';
import { customerInput, expectAppError, invoiceInput, LETTER_IDENTITY, useStore } from '../repositories/helpers.ts';

const LETTERS = {
  name: 'courrier',
  minBalance: '0.01',
  minDaysBetween: 0,
  steps: [{ label: 'Relance 1', delayDays: 10, from: 'dueDate', channels: ['letter'] }],
};

const dataDir = mkdtempSync(join(tmpdir(), 'relance-audited-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

async function seed(db: Db) {
  const company = await createCompany(db, { legalName: 'Atelier Durand', ...LETTER_IDENTITY });
  for (const [code, salesRep] of [
    ['MARTIN', 'Marie'],
    ['LEROY', 'Paul'],
  ] as const) {
    const customer = await createCustomer(db, company.id, customerInput(code, { salesRep }));
    await createInvoice(db, company.id, customer.id, invoiceInput(`F-${code}`, { dueDate: '2026-01-31' }));
  }
  return company;
}

const actions = async (db: Db, companyId: string) =>
  (await listAudit(db, companyId)).map((e) => [e.actor, e.action, e.target]).reverse();

/** The changes the command line makes without a person behind an HTTP request are audited like the API's. */
describe.each(dialects)('changes audited whoever makes them, on %s', (dialect) => {
  const store = useStore(dialect);

  it('a policy import, a hold and a run each leave one audit row naming who made them; a simulation none', async () => {
    const { db } = store();
    const company = await seed(db);
    const cli = systemActor(company.id, 'command line');
    const saved = await savePolicy(db, cli, { definition: LETTERS, makeDefault: true });
    expect(saved).toMatchObject({ name: 'courrier', isDefault: true });
    await setCustomerHold(db, cli, { code: 'LEROY' }, { blockedReason: 'Litige en cours', law: 'DE' });
    const leroy = await getCustomerByCode(db, company.id, 'LEROY');
    expect(await getCustomerHold(db, company.id, leroy.id)).toMatchObject({
      blockedReason: 'Litige en cours',
      law: 'DE',
    });
    await runReminders(db, cli, { date: '2026-03-01', dryRun: true, dataDir });
    const run = await runReminders(db, systemActor(company.id, 'scheduler'), {
      date: '2026-03-01',
      kind: 'automatic',
      dataDir,
    });
    expect(run.reminders).toBe(1);
    expect(await actions(db, company.id)).toEqual([
      ['command line', 'policy.saved', 'courrier'],
      ['command line', 'customer.hold', 'LEROY'],
      ['scheduler', 'run.recorded', run.run!.id],
    ]);
  });

  it('a restricted collector holds and runs only its représentant’s customers, and nothing is written when refused', async () => {
    const { db } = store();
    const company = await seed(db);
    await savePolicy(db, systemActor(company.id), { definition: LETTERS });
    const marie: Actor = { companyId: company.id, salesRep: 'Marie', userId: null, name: 'marie@example.test' };
    await expectAppError(setCustomerHold(db, marie, { code: 'LEROY' }, { pausedUntil: '2026-04-01' }), 'not_found');
    await expectAppError(runReminders(db, marie, { date: '2026-03-01', dataDir }), 'forbidden');
    await expectAppError(runReminders(db, marie, { date: '2026-03-01', customerCode: 'LEROY', dataDir }), 'not_found');
    await setCustomerHold(db, marie, { code: 'MARTIN' }, { pausedUntil: '2026-04-01' });
    expect((await actions(db, company.id)).map(([, action]) => action)).toEqual(['policy.saved', 'customer.hold']);
  });
});
