import { describe, expect, it } from 'vitest';
import { importBankStatement } from '../../src/integrations/bank/import-bank.ts';
import { listBankLines, matchBankLine } from '../../src/integrations/bank/bank-lines.ts';
import { readCamt053 } from '../../src/integrations/bank/camt053.ts';
import { readBankCsv } from '../../src/integrations/bank/bank-csv.ts';
import { createCompany } from '../../src/storage/companies.ts';
import { createCustomer } from '../../src/storage/customers.ts';
import { createInvoice, getInvoiceByNumber } from '../../src/storage/invoices.ts';
import { rawQuery, type Db } from '../../src/storage/database.ts';
import { AppError } from '../../src/shared/errors.ts';
import { dialects } from '../support/stores.ts';
import { customerInput, invoiceInput, useStore } from '../repositories/helpers.ts';
import { camt053 } from './support/camt.ts';
import { systemActor } from '../../src/shared/actor.ts';

const bytes = (s: string) => new TextEncoder().encode(s);

async function ledger(db: Db) {
  const company = await createCompany(db, { legalName: 'Atelier Durand' });
  const martin = await createCustomer(db, company.id, customerInput('MARTIN', { name: 'Boulangerie Martin' }));
  const leroy = await createCustomer(db, company.id, customerInput('LEROY', { name: 'Garage Leroy SARL' }));
  for (const [customer, number, total, due] of [
    [martin, 'F-100', 120_000, '2026-01-31'],
    [martin, 'F-101', 30_000, '2026-02-10'],
    [martin, 'F-102', 45_000, '2026-02-15'],
    [leroy, '2026-7', 50_000, '2026-02-01'],
    [leroy, '2026-8', 50_000, '2026-02-20'],
  ] as const) {
    await createInvoice(
      db,
      company.id,
      customer.id,
      invoiceInput(number, { total, totalExclTax: null, issueDate: '2026-01-01', dueDate: due }),
    );
  }
  return company;
}

const STATEMENT = camt053([
  {
    amount: '1200.00',
    sign: 'CRDT',
    date: '2026-03-02',
    txs: [{ debtor: 'BOULANGERIE MARTIN SARL', ustrd: 'Reglement facture F-100' }],
  },
  { amount: '450.00', sign: 'CRDT', date: '2026-03-02', txs: [{ debtor: 'BOULANGERIE MARTIN', ustrd: 'VIR SEPA' }] },
  { amount: '500.00', sign: 'CRDT', date: '2026-03-02', txs: [{ debtor: 'GARAGE LEROY', ustrd: 'Paiement' }] },
  { amount: '99.00', sign: 'CRDT', date: '2026-03-02', txs: [{ debtor: 'INCONNU SA', ustrd: 'virement' }] },
  { amount: '12.50', sign: 'DBIT', date: '2026-03-02', info: 'FRAIS TENUE DE COMPTE' },
  {
    amount: '500.00',
    sign: 'CRDT',
    date: '2026-03-03',
    txs: [
      { amount: '300.00', debtor: 'Boulangerie Martin', strdRef: 'F-101', ref: 'TX-1' },
      { amount: '200.00', debtor: 'Garage Leroy', ustrd: 'acompte 2026-7', ref: 'TX-2' },
    ],
  },
  { amount: '700.00', sign: 'CRDT', date: '2026-03-03', status: 'PDNG', txs: [{ ustrd: 'F-102' }] },
]);

describe('reading bank statements', () => {
  it('reads booked CAMT.053 entries, one line per transaction of a batch, leaving pending ones out', () => {
    const lines = readCamt053('releve.xml', bytes(STATEMENT));
    expect(lines.map((l) => [l.bookingDate, l.amount, l.counterparty, l.reference])).toEqual([
      ['2026-03-02', 120_000, 'BOULANGERIE MARTIN SARL', 'Reglement facture F-100'],
      ['2026-03-02', 45_000, 'BOULANGERIE MARTIN', 'VIR SEPA'],
      ['2026-03-02', 50_000, 'GARAGE LEROY', 'Paiement'],
      ['2026-03-02', 9_900, 'INCONNU SA', 'virement'],
      ['2026-03-02', -1_250, null, 'FRAIS TENUE DE COMPTE'],
      ['2026-03-03', 30_000, 'Boulangerie Martin', 'F-101'],
      ['2026-03-03', 20_000, 'Garage Leroy', 'acompte 2026-7'],
    ]);
    expect(new Set(lines.map((l) => l.key)).size).toBe(7);
    // The same bank reference twice in a file: two movements, keyed apart the same way each time.
    const twice = camt053([
      { amount: '10.00', sign: 'CRDT', date: '2026-03-02', txs: [{ ref: 'R1' }] },
      { amount: '10.00', sign: 'CRDT', date: '2026-03-02', txs: [{ ref: 'R1' }] },
    ]);
    const keys = readCamt053('x.xml', bytes(twice)).map((l) => l.key);
    expect(new Set(keys).size).toBe(2);
    expect(readCamt053('x.xml', bytes(twice)).map((l) => l.key)).toEqual(keys);
    expect(lines[0]!.account).toBe('FR7630006000011234567890189');
  });

  it('names the file and the element of a bad CAMT.053', () => {
    const broken = STATEMENT.replace('<CdtDbtInd>CRDT</CdtDbtInd>', '<CdtDbtInd>XX</CdtDbtInd>');
    expect(() => readCamt053('releve.xml', bytes(broken))).toThrow(
      'releve.xml: Stmt[1]/Ntry[1]/CdtDbtInd: "XX" is not CRDT or DBIT.',
    );
    expect(() =>
      readCamt053('releve.xml', bytes(STATEMENT.replace('<Amt Ccy="EUR">450.00</Amt>', '<Amt Ccy="EUR">4,50</Amt>'))),
    ).toThrow('releve.xml: Stmt[1]/Ntry[2]/Amt: "4,50" is not an amount.');
    expect(() => readCamt053('pain.xml', bytes('<Document><CstmrDrctDbtInitn/></Document>'))).toThrow(
      'pain.xml: Document: is not a CAMT.053 statement',
    );
    // A camt.054 notification carries its entries the same way.
    const notification = STATEMENT.replace('camt.053.001.02', 'camt.054.001.02')
      .replaceAll('BkToCstmrStmt', 'BkToCstmrDbtCdtNtfctn')
      .replaceAll('<Stmt>', '<Ntfctn>')
      .replaceAll('</Stmt>', '</Ntfctn>');
    expect(readCamt053('avis.xml', bytes(notification)).map((l) => l.amount)).toEqual(
      readCamt053('releve.xml', bytes(STATEMENT)).map((l) => l.amount),
    );
  });

  it('reads a CSV export with Débit / Crédit columns and reports bad rows with line and column', () => {
    const csv =
      'Date;Libellé;Débit;Crédit\n02/03/2026;VIR BOULANGERIE MARTIN F-100;;1 200,00\n02/03/2026;FRAIS;12,50;\n' +
      '02/03/2026;VIR BOULANGERIE MARTIN F-100;;1 200,00\n';
    const lines = readBankCsv('releve.csv', bytes(csv), 'EUR');
    expect(lines.map((l) => [l.bookingDate, l.amount, l.reference])).toEqual([
      ['2026-03-02', 120_000, 'VIR BOULANGERIE MARTIN F-100'],
      ['2026-03-02', -1_250, 'FRAIS'],
      ['2026-03-02', 120_000, 'VIR BOULANGERIE MARTIN F-100'],
    ]);
    // Two identical rows are two movements, told apart by their occurrence.
    expect(lines[0]!.key).not.toBe(lines[2]!.key);
    let error: AppError | null = null;
    try {
      readBankCsv('releve.csv', bytes('Date;Libellé;Montant\n31/02/2026;X;10\n01/03/2026;Y;dix\n'), 'EUR');
    } catch (e) {
      error = e as AppError;
    }
    expect(error?.issues.map((i) => [i.line, i.field])).toEqual([
      [2, 'Date'],
      [3, 'Montant'],
    ]);
  });
});

describe.each(dialects)('bank statement import on %s', (dialect) => {
  const store = useStore(dialect);

  it('matches by reference, then by customer and amount, records the payments and lists the rest, once', async () => {
    const { db } = store();
    const company = await ledger(db);
    const dry = await importBankStatement(db, systemActor(company.id), {
      fileName: 'releve.xml',
      bytes: bytes(STATEMENT),
      currency: 'EUR',
      dryRun: true,
    });
    expect(dry).toMatchObject({ dryRun: true, matched: 4, unmatched: 2 });
    const [nothing] = await rawQuery<{ n: number | string }>(
      db,
      'select (select count(*) from payments) + (select count(*) from bank_lines) as n',
    );
    expect(Number(nothing!.n)).toBe(0);
    const report = await importBankStatement(db, systemActor(company.id), {
      fileName: 'releve.xml',
      bytes: bytes(STATEMENT),
      currency: 'EUR',
    });
    expect(report).toMatchObject({
      format: 'camt.053',
      lines: 7,
      matched: 4,
      unmatched: 2,
      ignored: 1,
      alreadyImported: 0,
      dryRun: false,
    });
    expect(report.outcomes).toEqual(dry.outcomes);
    expect(report.outcomes.map((o) => [o.amount, o.status, o.rule ?? o.reason, o.invoices])).toEqual([
      [120_000, 'matched', 'reference', ['F-100']],
      [45_000, 'matched', 'amount_and_customer', ['F-102']],
      [50_000, 'unmatched', '2 open invoices of the payer have this amount', undefined],
      [9_900, 'unmatched', 'no invoice number in the reference and payer not recognised', undefined],
      [-1_250, 'ignored', undefined, undefined],
      [30_000, 'matched', 'reference', ['F-101']],
      [20_000, 'matched', 'reference', ['2026-7']],
    ]);
    const allocated = async (n: string) => (await getInvoiceByNumber(db, company.id, n)).allocated;
    expect(await Promise.all(['F-100', 'F-101', 'F-102', '2026-7', '2026-8'].map(allocated))).toEqual([
      120_000, 30_000, 45_000, 20_000, 0,
    ]);

    const again = await importBankStatement(db, systemActor(company.id), {
      fileName: 'releve.xml',
      bytes: bytes(STATEMENT),
      currency: 'EUR',
    });
    expect(again).toMatchObject({ matched: 0, unmatched: 0, alreadyImported: 7 });
    const [payments] = await rawQuery<{ n: number | string }>(db, 'select count(*) as n from payments');
    expect(Number(payments!.n)).toBe(4);

    // A person matches what the rules could not.
    const unmatched = await listBankLines(db, company.id);
    expect(unmatched.map((l) => [l.amount, l.counterparty])).toEqual([
      [50_000, 'GARAGE LEROY'],
      [9_900, 'INCONNU SA'],
    ]);
    await matchBankLine(db, systemActor(company.id), unmatched[0]!.id, ['2026-8']);
    expect(await allocated('2026-8')).toBe(50_000);
    expect((await listBankLines(db, company.id)).map((l) => l.amount)).toEqual([9_900]);
  });
  it('refuses a statement with an unreadable line, or with skipInvalid leaves that line out, names it, and imports the others', async () => {
    const { db } = store();
    const company = await ledger(db);
    const camt = camt053([
      {
        amount: '1200.00',
        sign: 'CRDT',
        date: '2026-03-02',
        txs: [{ debtor: 'BOULANGERIE MARTIN', ustrd: 'Facture F-100' }],
      },
      {
        amount: '300.00',
        sign: 'CRDT',
        date: '2026-03-02',
        txs: [{ debtor: 'BOULANGERIE MARTIN', ustrd: 'Facture F-101' }],
      },
    ]).replace('<Amt Ccy="EUR">300.00</Amt>', '<Amt Ccy="EUR">3OO.00</Amt>');
    const csv =
      'Date;Libellé;Montant\n02/03/2026;VIR GARAGE LEROY 2026-7;500,00\n31/02/2026;VIR GARAGE LEROY 2026-8;500,00\n' +
      '03/03/2026;VIR X;cinq\n';
    const count = async () =>
      Number(
        (
          await rawQuery<{ n: number | string }>(
            db,
            'select (select count(*) from payments) + (select count(*) from bank_lines) as n',
          )
        )[0]!.n,
      );

    let refused: unknown = null;
    await importBankStatement(db, systemActor(company.id), {
      fileName: 'releve.xml',
      bytes: bytes(camt),
      currency: 'EUR',
    }).catch((e: unknown) => {
      refused = e;
    });
    expect(refused).toBeInstanceOf(AppError);
    expect((refused as AppError).message).toContain('releve.xml: Stmt[1]/Ntry[2]/Amt: "3OO.00" is not an amount');
    await importBankStatement(db, systemActor(company.id), {
      fileName: 'releve.csv',
      bytes: bytes(csv),
      currency: 'EUR',
    }).catch((e: unknown) => {
      refused = e;
    });
    expect((refused as AppError).message).toBe('releve.csv: 2 bad rows; nothing was imported.');
    expect(await count()).toBe(0);

    const fromCamt = await importBankStatement(db, systemActor(company.id), {
      fileName: 'releve.xml',
      bytes: bytes(camt),
      currency: 'EUR',
      skipInvalid: true,
    });
    expect(fromCamt).toMatchObject({ lines: 1, matched: 1 });
    expect(fromCamt.skipped).toEqual([
      {
        field: 'Stmt[1]/Ntry[2]/Amt',
        reason: '"3OO.00" is not an amount',
        code: 'reason.xml.notAmount',
        params: { value: '3OO.00' },
      },
    ]);
    const fromCsv = await importBankStatement(db, systemActor(company.id), {
      fileName: 'releve.csv',
      bytes: bytes(csv),
      currency: 'EUR',
      skipInvalid: true,
    });
    expect(fromCsv.outcomes.map((o) => [o.amount, o.status, o.invoices])).toEqual([[50_000, 'matched', ['2026-7']]]);
    expect(fromCsv.skipped.map((i) => [i.line, i.field])).toEqual([
      [3, 'Date'],
      [4, 'Montant'],
    ]);
    expect(
      await Promise.all(
        ['F-100', 'F-101', '2026-7', '2026-8'].map(
          async (n) => (await getInvoiceByNumber(db, company.id, n)).allocated,
        ),
      ),
    ).toEqual([120_000, 0, 50_000, 0]);
    // The lines left out can come later in a corrected file: the good ones are not recorded twice.
    const fixed = await importBankStatement(db, systemActor(company.id), {
      fileName: 'releve.csv',
      currency: 'EUR',
      bytes: bytes(csv.replace('31/02/2026', '28/02/2026').replace('cinq', '5,00')),
    });
    expect(fixed).toMatchObject({ alreadyImported: 1, matched: 1, unmatched: 1, skipped: [] });
  });
});
