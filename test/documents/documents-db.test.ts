import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import { afterAll, describe, expect, it } from 'vitest';
import { loadMessageContexts } from '../../src/communications/load-context.ts';
import { renderBatchPdf } from '../../src/documents/batch.ts';
import { invoiceCopyPdf, loadInvoiceCopy } from '../../src/documents/invoice-copy.ts';
import { runLetterRequests } from '../../src/documents/run-letters.ts';
import { statementPdf } from '../../src/documents/statement.ts';
import { summaryPdf } from '../../src/documents/summary.ts';
import { DEFAULT_LETTER_SETTINGS } from '../../src/domain/letter-settings.ts';
import { runDunning } from '../../src/dunning/run-dunning.ts';
import { insertPayment } from '../../src/storage/allocations.ts';
import { createCompany } from '../../src/storage/companies.ts';
import { addContact, createCustomer } from '../../src/storage/customers.ts';
import type { Db } from '../../src/storage/database.ts';
import { getRunDocument } from '../../src/storage/documents.ts';
import { writePolicy } from '../../src/storage/dunning.ts';
import { attachInvoicePdf, createInvoice } from '../../src/storage/invoices.ts';
import { dialects } from '../support/stores.ts';
import { customerInput, invoiceInput, useStore } from '../repositories/helpers.ts';
import { pdfText, readPdf } from './pdf-support.ts';

const POLICY = {
  name: 'courrier',
  steps: [
    { label: '1ère relance', delayDays: 10, from: 'dueDate', channels: ['letter'] },
    {
      label: 'Mise en demeure',
      delayDays: 15,
      from: 'previousStep',
      channels: ['letter'],
      formalNotice: true,
      charges: true,
    },
  ],
  minBalance: '15.00',
  minDaysBetween: 7,
  charges: { enabled: true },
};

const dirs: string[] = [];
afterAll(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

async function ledger(db: Db) {
  const company = await createCompany(db, {
    legalName: 'Atelier Dupré SARL',
    siren: '732829320',
    iban: 'FR7630006000011234567890189',
    bic: 'AGRIFRPP',
    address: { line1: '3 quai Saint-Vincent', postcode: '69001', city: 'Lyon', country: 'FR' },
  });
  await writePolicy(db, company.id, { name: 'courrier', definition: POLICY });
  const crepes = await createCustomer(db, company.id, customerInput('C1', { name: 'Crêperie Bérénice' }));
  const garage = await createCustomer(db, company.id, customerInput('C2', { name: 'Garage Hélène', language: 'en' }));
  for (const c of [crepes, garage])
    await addContact(db, company.id, c.id, {
      name: 'Zoé',
      email: `${c.code}@x.example`,
      phone: null,
      role: null,
      isPrimary: true,
    });
  const f1 = await createInvoice(
    db,
    company.id,
    crepes.id,
    invoiceInput('F1', { dueDate: '2026-01-31', total: 123_456 }),
  );
  const f2 = await createInvoice(
    db,
    company.id,
    crepes.id,
    invoiceInput('F2', { issueDate: '2025-11-01', dueDate: '2025-12-01', total: 50_000 }),
  );
  const f3 = await createInvoice(
    db,
    company.id,
    garage.id,
    invoiceInput('F3', { dueDate: '2026-02-15', total: 99_900 }),
  );
  return { company, crepes, garage, f1, f2, f3 };
}

describe.each(dialects)('documents from the ledger on %s', (dialect) => {
  const store = useStore(dialect);

  it('a run with the letter channel writes its batch, records where it is, and the letters carry the template text', async () => {
    const { db } = store();
    const { company } = await ledger(db);
    const dataDir = mkdtempSync(join(tmpdir(), 'relance-letters-'));
    dirs.push(dataDir);
    const result = await runDunning(db, company.id, { date: '2026-03-01', dataDir });
    expect(result.communications).toBe(2);
    const stored = await getRunDocument(db, company.id, result.run!.id);
    expect(stored).toMatchObject({ letters: 2, pages: 2 });
    expect(stored!.path.startsWith(dataDir)).toBe(true);
    expect(existsSync(stored!.path)).toBe(true);
    const file = readFileSync(stored!.path);
    // Written as a stream; what is recorded is what is on disk.
    expect(stored!.bytes).toBe(file.length);
    expect(stored!.sha256).toBe(createHash('sha256').update(file).digest('hex'));
    expect(existsSync(`${stored!.path}.tmp`)).toBe(false);
    const pages = await readPdf(file);
    expect(pages).toHaveLength(2);
    const [first, second] = pages.map((p) => p.text.replace(/\s+/g, ' '));
    expect(first).toContain('Crêperie Bérénice');
    expect(first).toContain('F1');
    expect(first).toContain('F2');
    expect(first).toContain('1 734,56 €');
    expect(first).toContain('Sauf erreur');
    expect(second).toContain('Garage Hélène');
    expect(second).toContain('€999.00');
    // An English letter names the step in English, whatever the policy's French label.
    expect(second).toContain('Subject: 1st reminder');
  });

  it('prints a formal notice for a formalNotice step, from the template of the mise en demeure', async () => {
    const { db } = store();
    const { company } = await ledger(db);
    const dataDir = mkdtempSync(join(tmpdir(), 'relance-letters-'));
    dirs.push(dataDir);
    await runDunning(db, company.id, { date: '2026-03-01', dataDir });
    const second = await runDunning(db, company.id, { date: '2026-03-20', dataDir, customerCode: 'C1' });
    const requests = await runLetterRequests(db, company.id, second.run!.id);
    expect(requests).toHaveLength(1);
    const text = (await pdfText(readFileSync((await getRunDocument(db, company.id, second.run!.id))!.path))).replace(
      /\s+/g,
      ' ',
    );
    for (const expected of [
      'LETTRE RECOMMANDÉE AVEC ACCUSÉ DE RÉCEPTION',
      'Mise en demeure',
      'mettons en demeure',
      'injonction de payer',
    ]) {
      expect(text).toContain(expected);
    }
  });

  it('gives an invoice copy: the stored PDF byte for byte, else a generated one, the same bytes each time', async () => {
    const { db } = store();
    const { company, f1, f3 } = await ledger(db);
    const original = await PDFDocument.create();
    original.addPage().drawText('ORIGINAL F1', { font: await original.embedFont(StandardFonts.Helvetica) });
    const bytes = await original.save();
    await attachInvoicePdf(db, company.id, 'F1', 'F1.pdf', bytes);
    expect(Buffer.compare(await invoiceCopyPdf(db, company.id, f1.id), Buffer.from(bytes))).toBe(0);
    const generated = await invoiceCopyPdf(db, company.id, f3.id);
    expect(Buffer.compare(generated, await invoiceCopyPdf(db, company.id, f3.id))).toBe(0);
    const text = (await pdfText(generated)).replace(/\s+/g, ' ');
    for (const expected of ['INVOICE COPY', 'Invoice F3', 'Garage Hélène', '€999.00', 'Atelier Dupré SARL'])
      expect(text).toContain(expected);
  });

  it('in duplex starts every letter on an odd page and puts the invoice copies after their letter', async () => {
    const { db } = store();
    const { company, crepes, garage, f1, f2, f3 } = await ledger(db);
    const original = await PDFDocument.create();
    original.addPage().drawText('ORIGINAL F1', { font: await original.embedFont(StandardFonts.Helvetica) });
    await attachInvoicePdf(db, company.id, 'F1', 'F1.pdf', await original.save());
    const contexts = await loadMessageContexts(db, company.id, [
      { customerId: crepes.id, invoiceIds: [f1.id, f2.id], level: 1, date: '2026-03-01' },
      { customerId: garage.id, invoiceIds: [f3.id], level: 1, date: '2026-03-01' },
    ]);
    const letters = await Promise.all(
      contexts.map(async (context) => ({
        context,
        letterText: 'Texte.',
        copies: await Promise.all(context.invoices.map((i) => loadInvoiceCopy(db, company.id, i.id))),
      })),
    );
    const batch = await renderBatchPdf(
      letters,
      { ...DEFAULT_LETTER_SETTINGS, duplex: true },
      { title: 'b', date: '2026-03-01', language: 'fr' },
    );
    const pages = await readPdf(batch.pdf);
    // Letter 1, its copies in the letter's order (F1 stored, F2 generated), a blank back, letter 2, copy F3.
    const firstCopies = contexts[0]!.invoices.map((i) => (i.number === 'F1' ? 'stored' : 'copy'));
    expect(
      pages.map((p) =>
        p.text.includes('Objet') || p.text.includes('Subject')
          ? 'letter'
          : p.text.includes('ORIGINAL F1')
            ? 'stored'
            : /COPIE|COPY/.test(p.text)
              ? 'copy'
              : p.text.trim() === ''
                ? 'blank'
                : '?',
      ),
    ).toEqual(['letter', ...firstCopies, 'blank', 'letter', 'copy']);
    expect(batch.pages).toBe(6);
    expect(pages[4]!.text).toContain('Garage Hélène');
  });

  it('prints a statement with each open invoice, the totals and the aged balance', async () => {
    const { db } = store();
    const { company, crepes, f1 } = await ledger(db);
    await insertPayment(db, company.id, {
      customerId: crepes.id,
      date: '2026-02-10',
      currency: 'EUR',
      amount: 23_456,
      method: 'transfer',
      reference: null,
      allocations: [{ invoiceId: f1.id, amount: 23_456 }],
    });
    await createInvoice(
      db,
      company.id,
      crepes.id,
      invoiceInput('F4', { issueDate: '2026-03-01', dueDate: '2026-03-31', total: 10_000 }),
    );
    const text = (
      await pdfText(await statementPdf(db, company.id, { customerCode: 'C1', date: '2026-03-15' }))
    ).replace(/\s+/g, ' ');
    for (const expected of [
      'Relevé de compte',
      'Situation au 15/03/2026',
      'Crêperie Bérénice',
      'F1',
      'F2',
      'F4',
      '234,56 €',
      '1 000,00 €',
      'Balance âgée (EUR)',
      'Non échu',
      'Plus de 90 j',
      '100,00 €',
      '500,00 €',
      '1 600,00 €',
    ]) {
      expect(text).toContain(expected);
    }
  });

  it('summarises the reminders of each invoice with the date of each level', async () => {
    const { db } = store();
    const { company } = await ledger(db);
    const dataDir = mkdtempSync(join(tmpdir(), 'relance-letters-'));
    dirs.push(dataDir);
    await runDunning(db, company.id, { date: '2026-03-01', dataDir });
    await runDunning(db, company.id, { date: '2026-03-20', dataDir });
    const { pdf, invoices } = await summaryPdf(db, company.id, { date: '2026-03-28' });
    expect(invoices).toBe(3);
    const text = (await pdfText(pdf)).replace(/\s+/g, ' ');
    for (const expected of [
      'Synthèse des relances',
      'F1',
      'F2',
      'F3',
      'C1 Crêperie Bérénice',
      '01/03/2026',
      '20/03/2026',
      '1 234,56 €',
      '117 j',
      '56 j',
    ]) {
      expect(text).toContain(expected);
    }
    // The level columns bear the names of the policy's steps (this ledger's policy has two).
    expect(text).toContain('Échéance 1ère relance Mise en demeure Retard');
    expect(text).not.toMatch(/Relance [123]/);
  });
});
