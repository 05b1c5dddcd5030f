import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { invoiceCopyPdf } from '../../src/documents/invoice-copy.ts';
import { renderLetterPdf } from '../../src/documents/letter.ts';
import { statementPdf } from '../../src/documents/statement.ts';
import { summaryPdf } from '../../src/documents/summary.ts';
import { runDunning } from '../../src/dunning/run-dunning.ts';
import { createCompany } from '../../src/storage/companies.ts';
import { addContact, createCustomer } from '../../src/storage/customers.ts';
import { openStore } from '../../src/storage/database.ts';
import { writePolicy } from '../../src/storage/dunning.ts';
import { createInvoice } from '../../src/storage/invoices.ts';
import { customerInput, invoiceInput } from '../repositories/helpers.ts';
import { context, LETTER_TEXT } from './fixtures.ts';

export const KINDS = ['letter', 'formal-notice', 'invoice-copy', 'statement', 'summary'] as const;
export type Kind = (typeof KINDS)[number];

/**
 * One document of each kind, as a user gets it: the letters from a hand-built context, the others from a
 * small ledger in a temporary SQLite file. The rendering check and the reference images under
 * docs/letters use the same documents.
 */
export async function sampleDocuments(): Promise<Record<Kind, Buffer>> {
  const dir = mkdtempSync(join(tmpdir(), 'relance-samples-'));
  const store = await openStore(join(dir, 'samples.db'));
  try {
    const db = store.db;
    const company = await createCompany(db, {
      legalName: 'Boulangerie Éclair SARL',
      siren: '732829320',
      vatNumber: 'FR44732829320',
      iban: 'FR7630006000011234567890189',
      bic: 'AGRIFRPP',
      address: { line1: '12 rue de la Paix', postcode: '69002', city: 'Lyon', country: 'FR' },
    });
    await writePolicy(db, company.id, {
      name: 'défaut',
      definition: {
        name: 'défaut',
        minBalance: '15.00',
        minDaysBetween: 7,
        steps: [
          { label: '1ère relance', delayDays: 10, from: 'dueDate', channels: ['letter'] },
          { label: '2ème relance', delayDays: 15, from: 'previousStep', channels: ['letter'] },
        ],
      },
    });
    const customer = await createCustomer(
      db,
      company.id,
      customerInput('C042', {
        name: 'Société Générale des Crêpes Françaises',
        address: { line1: '4 allée des Érables', line2: null, postcode: '13008', city: 'Marseille', country: 'FR' },
      }),
    );
    await addContact(db, company.id, customer.id, {
      name: 'Jérôme Dupré',
      email: 'compta@crepes.example',
      phone: null,
      role: null,
      isPrimary: true,
    });
    const dues = ['2025-10-15', '2025-12-20', '2026-01-31', '2026-02-28', '2026-04-10'];
    const invoices = [];
    for (const [n, due] of dues.entries()) {
      invoices.push(
        await createInvoice(
          db,
          company.id,
          customer.id,
          invoiceInput(`FA-2026-00${n + 10}`, {
            issueDate: due.slice(0, 8) + '01',
            dueDate: due,
            total: 45_000 + n * 37_321,
            totalExclTax: 37_500 + n * 31_101,
            title: 'Farines et levains',
          }),
        ),
      );
    }
    await runDunning(db, company.id, { date: '2026-03-02', dataDir: dir });
    await runDunning(db, company.id, { date: '2026-03-20', dataDir: dir });
    return {
      letter: await renderLetterPdf(context(), LETTER_TEXT.fr),
      'formal-notice': await renderLetterPdf(context({ formalNotice: true }), LETTER_TEXT.fr),
      'invoice-copy': await invoiceCopyPdf(db, company.id, invoices[1]!.id),
      statement: await statementPdf(db, company.id, { customerCode: 'C042', date: '2026-03-28' }),
      summary: (await summaryPdf(db, company.id, { date: '2026-03-28' })).pdf,
    };
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
