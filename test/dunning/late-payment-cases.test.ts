import { describe, expect, it } from 'vitest';
import { setCustomerLawByCode } from '../../src/dunning/customer-law.ts';
import { planDunning } from '../../src/dunning/run-dunning.ts';
import { insertCreditNote, insertPayment } from '../../src/storage/allocations.ts';
import { createCompany } from '../../src/storage/companies.ts';
import { createCustomer } from '../../src/storage/customers.ts';
import { recordCommunication, writePolicy } from '../../src/storage/dunning.ts';
import { createInvoice } from '../../src/storage/invoices.ts';
import { dialects } from '../support/stores.ts';
import { customerInput, invoiceInput, useStore } from '../repositories/helpers.ts';

/**
 * Late-payment charges worked out by hand, each through the whole plan (ledger in the database, law, rates,
 * allocations) on both engines. Interest is simple: Σ principal × rate × days / 365, rounded half-up to the cent once.
 * Rates: ECB 2.15 % on 1 Jan 2026, 2.40 % on 1 Jul 2026 (France B2B + 10: 12.15 / 12.40 %); French legal rate 2.62 / 2.75 %;
 * Basiszinssatz 1.27 / 1.52 % (+ 9 business, + 5 consumer); Bank Rate 4.25 % on 30 Jun 2025, 3.75 % on 31 Dec 2025 (+ 8).
 */
type Case = {
  name: string;
  seller: 'FR' | 'DE' | 'GB';
  customer: { country: string; kind: 'company' | 'individual'; law?: string };
  invoice: { total: number; currency?: string; issueDate?: string; dueDate: string };
  payment?: { date: string; amount: number };
  credit?: { date: string; amount: number };
  /** A reminder sent: its level (4 is the default policy's formal notice) and date. */
  reminder?: { level: number; date: string };
  contractRate?: string;
  date: string;
  expected: { interest: string; indemnity: string; indemnityCurrency: string; law: string; rate: string | null };
};

const CASES: Case[] = [
  {
    name: 'two half-years, French business debtor',
    seller: 'FR',
    customer: { country: 'FR', kind: 'company' },
    // 10000 × 12.15 % × 30 / 365 + 10000 × 12.40 % × 62 / 365 = 99.863 + 210.630 = 310.493 → 310.49
    invoice: { total: 1_000_000, dueDate: '2026-05-31' },
    date: '2026-08-31',
    expected: { interest: '310.49', indemnity: '40.00', indemnityCurrency: 'EUR', law: 'FR', rate: '12.40' },
  },
  {
    name: 'partial payment: 4000 € paid on 15 July stops interest on it from the 16th',
    seller: 'FR',
    customer: { country: 'FR', kind: 'company' },
    invoice: { total: 1_000_000, dueDate: '2026-05-31' },
    payment: { date: '2026-07-15', amount: 400_000 },
    date: '2026-08-31',
    // 10000 × 12.15 % × 30 + 10000 × 12.40 % × 15 + 6000 × 12.40 % × 47, / 365 = 99.863 + 50.959 + 95.803 = 246.625 → 246.62
    expected: { interest: '246.62', indemnity: '40.00', indemnityCurrency: 'EUR', law: 'FR', rate: '12.40' },
  },
  {
    name: 'credit note: 4000 € credited on 15 July was never owed, off from the due date',
    seller: 'FR',
    customer: { country: 'FR', kind: 'company' },
    invoice: { total: 1_000_000, dueDate: '2026-05-31' },
    credit: { date: '2026-07-15', amount: 400_000 },
    date: '2026-08-31',
    // 6000 × 12.15 % × 30 / 365 + 6000 × 12.40 % × 62 / 365 = 59.918 + 126.378 = 186.296 → 186.30
    expected: { interest: '186.30', indemnity: '40.00', indemnityCurrency: 'EUR', law: 'FR', rate: '12.40' },
  },
  {
    name: 'French consumer, legal rate from the day after the formal notice, no indemnity',
    seller: 'FR',
    customer: { country: 'FR', kind: 'individual' },
    invoice: { total: 200_000, dueDate: '2026-04-30' },
    reminder: { level: 4, date: '2026-06-20' },
    date: '2026-08-31',
    // 2000 × 2.62 % × 10 / 365 + 2000 × 2.75 % × 62 / 365 = 1.436 + 9.342 = 10.778 → 10.78
    expected: { interest: '10.78', indemnity: '0.00', indemnityCurrency: 'EUR', law: 'FR', rate: '2.75' },
  },
  {
    name: 'German seller, business debtor: base rate + 9, 40 €',
    seller: 'DE',
    customer: { country: 'DE', kind: 'company' },
    invoice: { total: 1_000_000, issueDate: '2026-04-30', dueDate: '2026-05-31' },
    date: '2026-08-31',
    // 10000 × 10.27 % × 30 / 365 + 10000 × 10.52 % × 62 / 365 = 84.411 + 178.696 = 263.107 → 263.11
    expected: { interest: '263.11', indemnity: '40.00', indemnityCurrency: 'EUR', law: 'DE', rate: '10.52' },
  },
  {
    name: 'German consumer of a French seller: German law, base rate + 5 from the first reminder',
    seller: 'FR',
    customer: { country: 'DE', kind: 'individual' },
    invoice: { total: 200_000, dueDate: '2026-05-31' },
    reminder: { level: 1, date: '2026-06-15' },
    date: '2026-08-31',
    // 2000 × 6.27 % × 15 / 365 + 2000 × 6.52 % × 62 / 365 = 5.153 + 22.150 = 27.304 → 27.30
    expected: { interest: '27.30', indemnity: '0.00', indemnityCurrency: 'EUR', law: 'DE', rate: '6.52' },
  },
  {
    name: 'UK seller across the Bank Rate cut, £5,000: band £70',
    seller: 'GB',
    customer: { country: 'GB', kind: 'company' },
    invoice: { total: 500_000, currency: 'GBP', issueDate: '2025-11-15', dueDate: '2025-12-15' },
    date: '2026-01-14',
    // 5000 × 12.25 % × 16 / 365 + 5000 × 11.75 % × 14 / 365 = 26.849 + 22.534 = 49.384 → 49.38
    expected: { interest: '49.38', indemnity: '70.00', indemnityCurrency: 'GBP', law: 'GB', rate: '11.75' },
  },
  {
    name: 'UK seller, £12,000: band £100',
    seller: 'GB',
    customer: { country: 'GB', kind: 'company' },
    invoice: { total: 1_200_000, currency: 'GBP', issueDate: '2025-11-15', dueDate: '2025-12-15' },
    date: '2026-01-14',
    // 12000 × 12.25 % × 16 / 365 + 12000 × 11.75 % × 14 / 365 = 64.438 + 54.082 = 118.521 → 118.52
    expected: { interest: '118.52', indemnity: '100.00', indemnityCurrency: 'GBP', law: 'GB', rate: '11.75' },
  },
  {
    name: 'USD invoice of a French seller: interest in dollars, the 40 € in euros',
    seller: 'FR',
    customer: { country: 'FR', kind: 'company' },
    invoice: { total: 1_000_000, currency: 'USD', dueDate: '2026-05-31' },
    date: '2026-08-31',
    expected: { interest: '310.49', indemnity: '40.00', indemnityCurrency: 'EUR', law: 'FR', rate: '12.40' },
  },
  {
    name: 'contract rate 5 % below the floor: three times the legal rate',
    seller: 'FR',
    customer: { country: 'FR', kind: 'company' },
    invoice: { total: 1_000_000, dueDate: '2026-05-31' },
    contractRate: '5.00',
    date: '2026-08-31',
    // 3 × 2.62 = 7.86 %, 3 × 2.75 = 8.25 %: 10000 × 7.86 % × 30 / 365 + 10000 × 8.25 % × 62 / 365 = 64.603 + 140.137 = 204.740
    expected: { interest: '204.74', indemnity: '40.00', indemnityCurrency: 'EUR', law: 'FR', rate: '8.25' },
  },
  {
    name: 'Belgian business customer of a French seller: French law (L441-10), not the directive',
    seller: 'FR',
    customer: { country: 'BE', kind: 'company' },
    invoice: { total: 100_000, dueDate: '2026-07-31' },
    date: '2026-08-31',
    // 1000 × 12.40 % × 31 / 365 = 10.532 → 10.53
    expected: { interest: '10.53', indemnity: '40.00', indemnityCurrency: 'EUR', law: 'FR', rate: '12.40' },
  },
  {
    name: 'Swiss business customer of a French seller: French law',
    seller: 'FR',
    customer: { country: 'CH', kind: 'company' },
    invoice: { total: 250_000, dueDate: '2026-06-30' },
    date: '2026-08-31',
    // 2500 × 12.40 % × 62 / 365 = 52.658 → 52.66
    expected: { interest: '52.66', indemnity: '40.00', indemnityCurrency: 'EUR', law: 'FR', rate: '12.40' },
  },
  {
    name: 'a customer whose contract chose German law',
    seller: 'FR',
    customer: { country: 'FR', kind: 'company', law: 'DE' },
    invoice: { total: 1_000_000, issueDate: '2026-04-30', dueDate: '2026-05-31' },
    date: '2026-08-31',
    expected: { interest: '263.11', indemnity: '40.00', indemnityCurrency: 'EUR', law: 'DE', rate: '10.52' },
  },
  {
    name: "Belgian consumer: no rule of their own known, the French seller's law",
    seller: 'FR',
    customer: { country: 'BE', kind: 'individual' },
    invoice: { total: 200_000, dueDate: '2026-04-30' },
    reminder: { level: 4, date: '2026-06-20' },
    date: '2026-08-31',
    expected: { interest: '10.78', indemnity: '0.00', indemnityCurrency: 'EUR', law: 'FR', rate: '2.75' },
  },
];

describe.each(dialects)('late-payment charges worked by hand, through the plan, on %s', (dialect) => {
  const store = useStore(dialect);

  it.each(CASES)('$name', async (c) => {
    const { db } = store();
    const company = await createCompany(db, { legalName: `Vendeur ${c.seller}`, address: { country: c.seller } });
    if (c.contractRate) {
      const { DEFAULT_POLICY_JSON } = await import('../../src/domain/dunning/policy.ts');
      await writePolicy(db, company.id, {
        name: 'default',
        definition: { ...DEFAULT_POLICY_JSON, charges: { enabled: true, contractRate: c.contractRate } },
      });
    }
    const customer = await createCustomer(
      db,
      company.id,
      customerInput('C1', {
        kind: c.customer.kind,
        address: { line1: '1 rue du Test', line2: null, postcode: '1000', city: 'Ville', country: c.customer.country },
      }),
    );
    if (c.customer.law) await setCustomerLawByCode(db, company.id, 'C1', c.customer.law);
    const currency = c.invoice.currency ?? 'EUR';
    const invoice = await createInvoice(
      db,
      company.id,
      customer.id,
      invoiceInput('F1', {
        total: c.invoice.total,
        totalExclTax: null,
        currency,
        issueDate: c.invoice.issueDate ?? '2026-01-01',
        dueDate: c.invoice.dueDate,
      }),
    );
    if (c.payment) {
      await insertPayment(db, company.id, {
        customerId: customer.id,
        date: c.payment.date,
        currency,
        amount: c.payment.amount,
        method: 'transfer',
        reference: null,
        allocations: [{ invoiceId: invoice.id, amount: c.payment.amount }],
      });
    }
    if (c.credit) {
      await insertCreditNote(db, company.id, {
        number: 'AV1',
        customerId: customer.id,
        date: c.credit.date,
        currency,
        total: c.credit.amount,
        reason: null,
        allocations: [{ invoiceId: invoice.id, amount: c.credit.amount }],
      });
    }
    if (c.reminder) {
      await recordCommunication(db, company.id, {
        runId: null,
        customerId: customer.id,
        currency,
        level: c.reminder.level,
        label: 'relance',
        date: c.reminder.date,
        channels: ['letter'],
        invoices: [{ invoiceId: invoice.id, level: c.reminder.level }],
        state: 'sent', // a reminder that left
      });
    }
    const plan = await planDunning(db, company.id, { date: c.date });
    expect(plan.charges.get('F1')).toMatchObject({ ...c.expected, currency, notes: [] });
  });
});
