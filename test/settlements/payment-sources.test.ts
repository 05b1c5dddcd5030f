import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listBankLines, matchBankLine } from '../../src/integrations/bank/bank-lines.ts';
import { importBankStatement } from '../../src/integrations/bank/import-bank.ts';
import { importEInvoices } from '../../src/integrations/einvoice/import-einvoices.ts';
import { importFec } from '../../src/integrations/fec/import-fec.ts';
import { importCsv } from '../../src/import/run-import.ts';
import { systemActor } from '../../src/shared/actor.ts';
import { insertPayment } from '../../src/storage/allocations.ts';
import { createInvoice, getInvoiceByNumber } from '../../src/storage/invoices.ts';
import { createWebhook } from '../../src/storage/webhooks.ts';
import { dialects } from '../support/stores.ts';
import { call, fixture, type Fixture } from '../http/support.ts';
import { invoiceInput } from '../repositories/helpers.ts';
import { camt053 } from '../integrations/support/camt.ts';
import { cdarStatusXml, generateEInvoice } from '../integrations/support/einvoice-samples.ts';

const bytes = (s: string) => new TextEncoder().encode(s);
const FEC_HEADER =
  'JournalCode|JournalLib|EcritureNum|EcritureDate|CompteNum|CompteLib|CompAuxNum|CompAuxLib|PieceRef|PieceDate|' +
  'EcritureLib|Debit|Credit|EcritureLet|DateLet|ValidDate|Montantdevise|Idevise';

/**
 * Every way a payment reaches the ledger announces the invoice it settles once (`invoice.paid`) and leaves one audit
 * row: the two API routes, the CSV import, a bank statement, a bank line matched by hand, a FEC, an e-invoice that says
 * it was paid and the CDAR 212 "encaissée" status.
 */
describe.each(dialects)('a payment from each source on %s', (dialect) => {
  let f: Fixture;
  let companyId: string;

  beforeAll(async () => {
    f = await fixture(dialect);
    companyId = f.alpha.company.id;
    await createWebhook(f.store.db, companyId, {
      url: 'https://hooks.example.test/relance',
      secret: 'secret-of-the-test',
      events: ['invoice.paid'],
    });
  }, 60_000);
  afterAll(() => f?.dispose());

  /** An open invoice of Marie's customer, 1,200.00 €. */
  const invoice = (number: string) =>
    createInvoice(f.store.db, companyId, f.alpha.marie.id, invoiceInput(number, { dueDate: '2026-01-31' }));

  async function counts(): Promise<{ paid: string[]; audit: number }> {
    const paid = await f.store.db
      .selectFrom('webhook_deliveries')
      .select('payload')
      .where('company_id', '=', companyId)
      .where('event', '=', 'invoice.paid')
      .execute();
    const audit = await f.store.db
      .selectFrom('audit_log')
      .select((eb) => eb.fn.countAll<number | string>().as('n'))
      .where('company_id', '=', companyId)
      .executeTakeFirstOrThrow();
    return {
      paid: paid.map((p) => (JSON.parse(p.payload) as { data: { number: string } }).data.number),
      audit: Number(audit.n),
    };
  }

  /** Runs `pay`, then expects the invoice settled, one `invoice.paid` naming it and one more audit row. */
  async function expectOneAnnouncement(number: string, pay: () => Promise<unknown>): Promise<void> {
    const before = await counts();
    await pay();
    const after = await counts();
    const settled = await getInvoiceByNumber(f.store.db, companyId, number);
    expect(settled.allocated).toBe(settled.total);
    expect(after.paid.slice(before.paid.length)).toEqual([number]);
    expect(after.audit - before.audit).toBe(1);
  }

  it('POST /api/v1/payments', async () => {
    const target = await invoice('S-1');
    await expectOneAnnouncement('S-1', async () => {
      const reply = await call(f.app, f.tokens.collector, 'POST', '/api/v1/payments', {
        customerId: f.alpha.marie.id,
        date: '2026-03-01',
        amount: 120_000,
        method: 'transfer',
        allocations: [{ invoiceId: target.id, amount: 120_000 }],
      });
      expect(reply.status).toBe(201);
    });
  });

  it('POST /api/v1/incoming/payments, and the same reference again announces nothing more', async () => {
    await invoice('S-2');
    const push = () =>
      call(f.app, f.tokens.collector, 'POST', '/api/v1/incoming/payments', {
        invoice: 'S-2',
        amount: 120_000,
        date: '2026-03-01',
        reference: 'COMPTA-S-2',
      });
    await expectOneAnnouncement('S-2', async () => expect((await push()).body.duplicate).toBe(false));
    const before = await counts();
    expect((await push()).body.duplicate).toBe(true);
    expect((await counts()).paid).toEqual(before.paid);
  });

  it('the CSV import of payments', async () => {
    await invoice('S-3');
    await expectOneAnnouncement('S-3', async () => {
      const report = await importCsv(f.store.db, systemActor(companyId), {
        kind: 'payments',
        fileName: 'paiements.csv',
        bytes: bytes('invoice;date;amount;method\nS-3;2026-03-01;1200,00;virement\n'),
      });
      expect(report.committed).toBe(true);
    });
  });

  it('a bank statement whose credit names the invoice', async () => {
    await invoice('S-4');
    const statement = camt053([
      { amount: '1200.00', sign: 'CRDT', date: '2026-03-02', txs: [{ debtor: 'ALPHA MARIE', ustrd: 'Facture S-4' }] },
    ]);
    await expectOneAnnouncement('S-4', async () => {
      const report = await importBankStatement(f.store.db, systemActor(companyId), {
        fileName: 'releve-s4.xml',
        bytes: bytes(statement),
        currency: 'EUR',
      });
      expect(report.matched).toBe(1);
    });
  });

  it('a bank credit matched by hand', async () => {
    await invoice('S-5');
    const statement = camt053([
      { amount: '1200.00', sign: 'CRDT', date: '2026-03-03', txs: [{ debtor: 'INCONNU SA', ustrd: 'virement' }] },
    ]);
    await importBankStatement(f.store.db, systemActor(companyId), {
      fileName: 'releve-s5.xml',
      bytes: bytes(statement),
      currency: 'EUR',
    });
    const [line] = await listBankLines(f.store.db, companyId, { status: 'unmatched' });
    await expectOneAnnouncement('S-5', () =>
      matchBankLine(f.store.db, systemActor(companyId, 'Camille'), line!.id, ['S-5']),
    );
  });

  it('a FEC whose lettering pays the rest of an invoice', async () => {
    const target = await invoice('S-6');
    await insertPayment(f.store.db, companyId, {
      customerId: f.alpha.marie.id,
      date: '2026-02-01',
      currency: 'EUR',
      amount: 60_000,
      method: 'cheque',
      reference: null,
      allocations: [{ invoiceId: target.id, amount: 60_000 }],
    });
    const fec = [
      FEC_HEADER,
      'VT|Ventes|VT9|20260101|411000|Clients|AM|Alpha Marie client|S-6|20260101|Facture S-6|1200,00|0,00|s|20260301|20260101||',
      'VT|Ventes|VT9|20260101|706000|Prestations|||S-6|20260101|Facture S-6|0,00|1200,00|||20260101||',
      'BQ|Banque|BQ9|20260301|411000|Clients|AM|Alpha Marie client|VIR-S6|20260301|Virement|0,00|600,00|s|20260301|20260301||',
      'BQ|Banque|BQ9|20260301|512000|Banque|||VIR-S6|20260301|Virement|600,00|0,00|||20260301||',
    ].join('\n');
    await expectOneAnnouncement('S-6', async () => {
      const report = await importFec(f.store.db, systemActor(companyId), {
        fileName: 'fec.txt',
        bytes: bytes(`${fec}\n`),
        currency: 'EUR',
      });
      expect(report.payments.created).toBe(1);
    });
  });

  it('an e-invoice that says it was paid in full', async () => {
    const paid = await generateEInvoice(
      {
        number: 'S-7',
        issueDate: '2026-01-15',
        dueDate: '2026-02-14',
        net: '1000.00',
        vat: '200.00',
        total: '1200.00',
        paid: '1200.00',
        due: '0.00',
        buyer: { name: 'Boulangerie Martin', siren: '732829320', vat: 'FR44732829320' },
      },
      'cii',
    );
    await expectOneAnnouncement('S-7', () =>
      importEInvoices(f.store.db, systemActor(companyId), { files: [{ fileName: 'S-7.xml', bytes: paid }] }),
    );
  });

  it('the CDAR 212 "encaissée" status', async () => {
    await invoice('S-8');
    const status = cdarStatusXml([{ invoice: 'S-8', code: 212, date: '2026-03-05', amount: '1200.00' }]);
    await expectOneAnnouncement('S-8', () =>
      importEInvoices(f.store.db, systemActor(companyId), {
        files: [{ fileName: 'cdv-s8.xml', bytes: bytes(status) }],
      }),
    );
  });

  it('a payment that leaves a balance announces nothing, and a restricted collector cannot pay another représentant’s invoice', async () => {
    const target = await invoice('S-9');
    const before = await counts();
    const partial = await call(f.app, f.tokens.collector, 'POST', '/api/v1/payments', {
      customerId: f.alpha.marie.id,
      date: '2026-03-01',
      amount: 20_000,
      method: 'cheque',
      allocations: [{ invoiceId: target.id, amount: 20_000 }],
    });
    expect(partial.status).toBe(201);
    const refused = await call(f.app, f.tokens.restricted, 'POST', '/api/v1/payments', {
      customerId: f.alpha.paul.id,
      date: '2026-03-01',
      amount: 20_000,
      method: 'cheque',
      allocations: [],
    });
    expect(refused.status).toBe(404);
    const after = await counts();
    expect(after.paid).toEqual(before.paid);
    expect(after.audit - before.audit).toBe(1);
  });
});
