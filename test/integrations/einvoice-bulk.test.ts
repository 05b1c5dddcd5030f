import { createHash } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { importEInvoices } from '../../src/integrations/einvoice/import-einvoices.ts';
import { systemActor } from '../../src/shared/actor.ts';
import { createCompany } from '../../src/storage/companies.ts';
import { createCustomer } from '../../src/storage/customers.ts';
import { createWebhook } from '../../src/storage/webhooks.ts';
import { customerInput, useStore } from '../repositories/helpers.ts';
import { dialects } from '../support/stores.ts';
import { ledgerSnapshot } from './ledger-snapshot.ts';
import { generateEInvoice, type SampleInvoice } from './support/einvoice-samples.ts';

const MARTIN: SampleInvoice['buyer'] = {
  name: 'Boulangerie Martin',
  siren: '732829320',
  vat: 'FR44732829320',
  email: 'compta@martin.fr',
};
const base = (number: string, buyer = MARTIN): SampleInvoice => ({
  number,
  issueDate: '2026-01-15',
  dueDate: '2026-02-14',
  net: '1000.00',
  vat: '200.00',
  total: '1200.00',
  due: '1200.00',
  buyer,
});

let files: { fileName: string; bytes: Uint8Array }[] = [];

/**
 * A known buyer (by SIREN) with a prepaid invoice, a new buyer, a buyer with neither SIREN nor VAT number on two
 * invoices, an invoice paid in full before it was sent, two credit notes on one invoice (listed before it, the
 * second settling it), and a credit note for an unknown invoice.
 */
beforeAll(async () => {
  const amis = { name: 'Association Les Amis', email: 'tresor@amis.org' };
  const note = (number: string, total: string, corrects: string | undefined) => {
    const net = (Number(total) / 1.2).toFixed(2);
    const vat = (Number(total) - Number(net)).toFixed(2);
    return generateEInvoice({ ...base(number), net, vat, total, due: total, corrects }, 'ubl');
  };
  const samples: [string, Promise<Uint8Array>][] = [
    ['AV-1.xml', note('AV-1', '120.00', 'F-2')],
    ['F-1.pdf', generateEInvoice({ ...base('F-1'), paid: '200.00', due: '1000.00' }, 'factur-x')],
    ['F-2.xml', generateEInvoice(base('F-2'), 'ubl')],
    ['F-3.xml', generateEInvoice(base('F-3', { name: 'Garage Leroy', siren: '552100554' }), 'cii')],
    ['N-1.xml', generateEInvoice(base('N-1', amis), 'cii')],
    ['N-2.xml', generateEInvoice(base('N-2', amis), 'cii')],
    ['F-4.xml', generateEInvoice({ ...base('F-4'), paid: '1200.00', due: '0.00' }, 'cii')],
    ['AV-2.xml', note('AV-2', '1200.00', 'F-2')],
    ['AV-3.xml', note('AV-3', '60.00', 'F-999')],
  ];
  files = await Promise.all(samples.map(async ([fileName, bytes]) => ({ fileName, bytes: await bytes })));
}, 60_000);

describe.each(dialects)('e-invoices written in bulk on %s', (dialect) => {
  const store = useStore(dialect);

  it('leaves the customers, contacts, invoices, settlements, webhooks and audit row the one-by-one writes left', async () => {
    const { db } = store();
    const company = await createCompany(db, { legalName: 'Atelier Durand' });
    await createCustomer(db, company.id, customerInput('MARTIN', { name: 'Martin', siren: '732829320' }));
    await createWebhook(db, company.id, { url: 'https://hooks.example/paid', secret: 's', events: ['invoice.paid'] });
    const actor = systemActor(company.id);
    const report = await importEInvoices(db, actor, { files });
    const contacts = await db
      .selectFrom('contacts as k')
      .innerJoin('customers as c', (j) =>
        j.onRef('c.company_id', '=', 'k.company_id').onRef('c.id', '=', 'k.customer_id'),
      )
      .select(['c.code', 'k.email', 'k.is_primary'])
      .where('k.company_id', '=', company.id)
      .orderBy('c.code')
      .orderBy('k.email')
      .execute();
    const pdfs = await db
      .selectFrom('invoice_files as f')
      .innerJoin('invoices as i', (j) =>
        j.onRef('i.company_id', '=', 'f.company_id').onRef('i.id', '=', 'f.invoice_id'),
      )
      .select(['i.number', 'f.filename', 'f.sha256'])
      .where('f.company_id', '=', company.id)
      .orderBy('i.number')
      .execute();
    const first = await ledgerSnapshot(db, company.id);
    // The generated PDFs differ from run to run: each kept copy is compared with the file it came from.
    const hashes = new Set(files.map((f) => createHash('sha256').update(f.bytes).digest('hex')));
    const kept = pdfs.map(({ sha256, ...p }) => ({ ...p, sameBytes: hashes.has(sha256) }));
    await expect(JSON.stringify({ report, contacts, pdfs: kept, ledger: first }, null, 1)).toMatchFileSnapshot(
      './__snapshots__/einvoice-bulk.json',
    );
    const again = await importEInvoices(db, actor, { files });
    expect(again.invoices.map((i) => i.action)).toEqual(again.invoices.map(() => 'unchanged'));
    const second = await ledgerSnapshot(db, company.id);
    expect({ ...second, audit: [] }).toEqual({ ...first, audit: [] });
  });
});
