import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { importEcbRates, listRates, missingRatesFor, setRate } from '../../src/dunning/late-payment-rates.ts';
import { planDunning } from '../../src/dunning/run-dunning.ts';
import { createCompany } from '../../src/storage/companies.ts';
import { createCustomer } from '../../src/storage/customers.ts';
import { createInvoice } from '../../src/storage/invoices.ts';
import { dialects } from '../support/stores.ts';
import { customerInput, expectAppError, invoiceInput, useStore } from '../repositories/helpers.ts';

const ACTOR = { userId: null, actor: 'test' };
const ECB_CSV = readFileSync(new URL('../fixtures/rates/ecb-mro.csv', import.meta.url), 'utf8');

describe.each(dialects)('late-payment rates of a company on %s', (dialect) => {
  const store = useStore(dialect);

  it('asks for the 2027H1 rates from 2 December 2026, and computes once the company entered them', async () => {
    const { db } = store();
    const company = await createCompany(db, { legalName: 'Vendeur', address: { country: 'FR' } });
    const customer = await createCustomer(db, company.id, customerInput('C1'));
    await createInvoice(
      db,
      company.id,
      customer.id,
      invoiceInput('F1', { issueDate: '2026-11-01', dueDate: '2026-12-31', total: 1_000_000, totalExclTax: null }),
    );
    expect(await missingRatesFor(db, company.id, '2026-12-01')).toEqual([]);
    // A French seller with business customers only: the ECB rate and the legal rate (floor of a contract rate).
    expect((await missingRatesFor(db, company.id, '2026-12-02')).map((m) => [m.series, m.halfYear, m.date])).toEqual([
      ['ecb_mro', '2027H1', '2027-01-01'],
      ['fr_legal_professional', '2027H1', '2027-01-01'],
    ]);
    const before = await planDunning(db, company.id, { date: '2027-01-10' });
    expect(before.charges.get('F1')).toMatchObject({ interest: null, indemnity: '40.00' });
    expect(before.missingRates?.map((m) => m.series)).toEqual(['ecb_mro', 'fr_legal_professional']);

    await setRate(
      db,
      company.id,
      { series: 'ecb-mro', from: '2027-01-01', rate: '2.40', source: 'ECB, key rates page, 2 Jan 2027' },
      ACTOR,
    );
    const after = await planDunning(db, company.id, { date: '2027-01-10' });
    // 10000 × 12.40 % × 10 / 365 = 33.972… → 33.97
    expect(after.charges.get('F1')).toMatchObject({ interest: '33.97', rate: '12.40', law: 'FR' });
    const ecb = (await listRates(db, company.id)).find((s) => s.series === 'ecb_mro')!;
    expect(ecb.knownThrough).toBe('2027-01-01');
    expect(ecb.values.at(-1)).toEqual({
      from: '2027-01-01',
      rate: '2.40',
      source: 'ECB, key rates page, 2 Jan 2027',
      verified: true,
      origin: 'company',
    });
  });

  it('refuses a value without a source, a French legal rate off a half-year, an unknown series, naming the field', async () => {
    const { db } = store();
    const company = await createCompany(db, { legalName: 'Vendeur' });
    await expectAppError(
      setRate(db, company.id, { series: 'ecb-mro', from: '2027-01-01', rate: '2.40', source: '' }, ACTOR),
      'invalid_input',
      /source/,
    );
    await expectAppError(
      setRate(
        db,
        company.id,
        { series: 'fr-legal-professional', from: '2027-01-15', rate: '2.50', source: 'arrêté' },
        ACTOR,
      ),
      'invalid_input',
      /1 January or 1 July/,
    );
    await expectAppError(
      setRate(db, company.id, { series: 'fed', from: '2027-01-01', rate: '2.50', source: 'x y z' }, ACTOR),
      'invalid_input',
      /not a rate series/,
    );
    await expectAppError(
      setRate(db, company.id, { series: 'ecb-mro', from: '2027-01-01', rate: 'deux', source: 'x y z' }, ACTOR),
      'invalid_input',
      /not a rate/,
    );
  });

  it('imports the ECB Data Portal export: nothing new below the shipped values, the series known up to the export day', async () => {
    const { db } = store();
    const company = await createCompany(db, { legalName: 'Vendeur' });
    const result = await importEcbRates(
      db,
      company.id,
      ECB_CSV,
      { asOf: '2026-12-20', fileName: 'ecb-mro.csv' },
      ACTOR,
    );
    expect(result).toEqual({ added: [{ from: '2026-12-20', rate: '2.40' }], knownThrough: '2026-12-20' });
    // A changed value in the file is recorded as the company's and overrides the shipped one.
    const changed = ECB_CSV.replace('"2026-06-17","17 Jun 2026","2.4"', '"2026-06-17","17 Jun 2026","2.5"');
    const second = await importEcbRates(db, company.id, changed, { asOf: '2026-12-20', fileName: 'ecb.csv' }, ACTOR);
    expect(second.added).toEqual([{ from: '2026-06-17', rate: '2.50' }]);
    const ecb = (await listRates(db, company.id)).find((s) => s.series === 'ecb_mro')!;
    expect(ecb.values.find((v) => v.from === '2026-06-17')).toMatchObject({ rate: '2.50', origin: 'company' });
    await expectAppError(
      importEcbRates(db, company.id, ECB_CSV.replace('MRR_FR', 'DFR'), { asOf: '2026-12-20', fileName: 'x' }, ACTOR),
      'invalid_input',
      /not the main refinancing rate/,
    );
    await expectAppError(
      importEcbRates(
        db,
        company.id,
        `${ECB_CSV}"2026-13-01","x","2.4"\n`,
        { asOf: '2026-12-20', fileName: 'x' },
        ACTOR,
      ),
      'invalid_input',
      /nothing was imported/,
    );
  });
});
