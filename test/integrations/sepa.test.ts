import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { validateXML } from 'xmllint-wasm';
import {
  isMandateReference,
  parseBic,
  parseCreditorId,
  parseIban,
  sepaIdentifier,
  sepaText,
} from '../../src/integrations/sepa/identifiers.ts';
import { isTargetDay, nextTargetDay } from '../../src/integrations/sepa/target-days.ts';
import { addMandate, listMandates, setCreditorId } from '../../src/integrations/sepa/mandates.ts';
import { generateDirectDebits, PENDING_DEBIT_HOLD_DAYS } from '../../src/integrations/sepa/direct-debits.ts';
import { buildPain008 } from '../../src/integrations/sepa/pain008.ts';
import { debitBatchFile, listDebitBatches } from '../../src/integrations/sepa/debit-file.ts';
import { importBankStatement } from '../../src/integrations/bank/import-bank.ts';
import { createCompany, updateCompany } from '../../src/storage/companies.ts';
import { createCustomer } from '../../src/storage/customers.ts';
import { createInvoice, getInvoiceByNumber, setDispute } from '../../src/storage/invoices.ts';
import { insertPayment } from '../../src/storage/allocations.ts';
import { rawQuery, type Db } from '../../src/storage/database.ts';
import { addDays } from '../../src/domain/calendar.ts';
import { dialects } from '../support/stores.ts';
import { customerInput, expectAppError, invoiceInput, useStore } from '../repositories/helpers.ts';
import { camt053 } from './support/camt.ts';
import { systemActor } from '../../src/shared/actor.ts';

const XSD = readFileSync(new URL('../fixtures/integrations/pain.008.001.02-subset.xsd', import.meta.url), 'utf-8');
const dir = mkdtempSync(join(tmpdir(), 'relance-sepa-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function schemaErrors(xml: string): Promise<string[]> {
  const result = await validateXML({ xml: [{ fileName: 'debit.xml', contents: xml }], schema: [XSD] });
  return result.errors.map((e) => e.message);
}

/** The rules banks check that XSD 1.0 cannot: NbOfTxs and CtrlSum of the file and of each block equal its transactions. */
function countsAndSums(xml: string): string[] {
  const cents = (text: string) => Math.round(Number(text) * 100);
  const amounts = (part: string) =>
    [...part.matchAll(/<InstdAmt Ccy="EUR">([0-9.]+)<\/InstdAmt>/g)].map((m) => cents(m[1]!));
  const check = (where: string, part: string, header: string) => {
    const found = amounts(part);
    const sum = found.reduce((a, b) => a + b, 0);
    const nb = /<NbOfTxs>([^<]*)<\/NbOfTxs>/.exec(header)?.[1];
    const ctrl = /<CtrlSum>([^<]*)<\/CtrlSum>/.exec(header)?.[1];
    return [
      ...(nb !== undefined && Number(nb) !== found.length ? [`${where}/NbOfTxs ${nb}, not ${found.length}`] : []),
      ...(ctrl !== undefined && cents(ctrl) !== sum ? [`${where}/CtrlSum ${ctrl}, not ${(sum / 100).toFixed(2)}`] : []),
    ];
  };
  const group = /<GrpHdr>[\s\S]*?<\/GrpHdr>/.exec(xml)?.[0] ?? '';
  return [
    check('GrpHdr', xml, group),
    ...[...xml.matchAll(/<PmtInf>[\s\S]*?<\/PmtInf>/g)].map((m, i) =>
      check(`PmtInf[${i + 1}]`, m[0], m[0].slice(0, m[0].indexOf('<PmtTpInf>'))),
    ),
  ].flat();
}

describe('SEPA identifiers and the pain.008 document', () => {
  it('checks IBAN, BIC and creditor identifier keys and keeps texts in the SEPA character set', () => {
    expect(parseIban('FR76 3000 6000 0112 3456 7890 189')).toEqual({ ok: true, value: 'FR7630006000011234567890189' });
    expect(parseIban('FR7630006000011234567890188').ok).toBe(false);
    expect(parseBic('agrifrpp').ok).toBe(true);
    expect(parseBic('AGRIFRP').ok).toBe(false);
    expect(parseCreditorId('FR72ZZZ123456')).toEqual({ ok: true, value: 'FR72ZZZ123456' });
    expect(parseCreditorId('FR73ZZZ123456').ok).toBe(false);
    expect(sepaText('Société Générale & Œuvres — « Noël »', 70)).toBe('Societe Generale + oeuvres Noel');
    expect(sepaIdentifier('F_2026 é/1', 30)).toBe('F-2026-e/1');
  });

  it('collects only on TARGET settlement days', () => {
    expect(
      ['2026-03-05', '2026-04-03', '2026-04-06', '2026-05-01', '2026-03-07', '2026-12-24', '2026-12-25'].map(
        isTargetDay,
      ),
    ).toEqual([true, false, false, false, false, true, false]);
    expect(nextTargetDay('2026-04-03')).toBe('2026-04-07');
  });

  const sample = () =>
    buildPain008({
      messageId: 'MSG-1',
      createdAt: '2026-03-01T10:00:00',
      collectionDate: '2026-03-05',
      creditor: {
        name: 'Atelier Durand',
        iban: 'FR7630006000011234567890189',
        bic: 'AGRIFRPP',
        creditorId: 'FR72ZZZ123456',
      },
      debits: [
        {
          endToEndId: 'F-1-1',
          amount: 123_456,
          mandateReference: 'RUM-001',
          mandateSignedOn: '2025-12-01',
          sequenceType: 'FRST',
          debtorName: 'Boulangerie Martin',
          debtorIban: 'FR1420041010050500013M02606',
          debtorBic: null,
          remittance: 'Facture F-1',
        },
        {
          endToEndId: 'F-2-1',
          amount: 5_000,
          mandateReference: 'RUM-002',
          mandateSignedOn: '2025-12-01',
          sequenceType: 'RCUR',
          debtorName: 'Σωκράτης',
          debtorIban: 'DE89370400440532013000',
          debtorBic: 'COBADEFFXXX',
          remittance: 'Facture F-2',
        },
      ],
    });

  it('is valid against the pain.008.001.02 schema with the SEPA restrictions, its counts and sums agree', async () => {
    const xml = sample();
    expect(await schemaErrors(xml)).toEqual([]);
    expect(countsAndSums(xml)).toEqual([]);
    expect(xml).toContain('<InstdAmt Ccy="EUR">1234.56</InstdAmt>');
    // A name with no letter of the SEPA set still gives the mandatory name.
    expect(xml).toContain('<Dbtr><Nm>NOTPROVIDED</Nm></Dbtr>');
  });

  // Each rule banks reject files on, broken once: the schema must refuse it.
  const broken: [string, (xml: string) => string][] = [
    ['sequence type other than FRST/RCUR/FNAL/OOFF', (x) => x.replace('<SeqTp>FRST</SeqTp>', '<SeqTp>FIRST</SeqTp>')],
    ['no sequence type', (x) => x.replace('<SeqTp>FRST</SeqTp>', '')],
    ['local instrument other than CORE/B2B', (x) => x.replace('<Cd>CORE</Cd>', '<Cd>COR1</Cd>')],
    [
      'service level other than SEPA',
      (x) => x.replace('<SvcLvl><Cd>SEPA</Cd></SvcLvl>', '<SvcLvl><Cd>NURG</Cd></SvcLvl>'),
    ],
    ['no payment type information', (x) => x.replace(/<PmtTpInf>[\s\S]*?<\/PmtTpInf>/, '')],
    ['amount with three decimals', (x) => x.replace('>1234.56</InstdAmt>', '>1234.567</InstdAmt>')],
    ['amount of zero', (x) => x.replace('>1234.56</InstdAmt>', '>0.00</InstdAmt>')],
    ['amount over 999,999,999.99', (x) => x.replace('>1234.56</InstdAmt>', '>1000000000.00</InstdAmt>')],
    ['amount in another currency', (x) => x.replace('<InstdAmt Ccy="EUR">1234.56', '<InstdAmt Ccy="USD">1234.56')],
    [
      'control sum with three decimals',
      (x) => x.replace(/<CtrlSum>([0-9]+\.[0-9]{2})<\/CtrlSum>/, '<CtrlSum>$15</CtrlSum>'),
    ],
    ['lower-case BIC', (x) => x.replace('<BIC>AGRIFRPP</BIC>', '<BIC>agrifrpp</BIC>')],
    ['BIC of 9 characters', (x) => x.replace('<BIC>AGRIFRPP</BIC>', '<BIC>AGRIFRPPX</BIC>')],
    [
      'agent other than BIC or NOTPROVIDED',
      (x) => x.replace('<Othr><Id>NOTPROVIDED</Id></Othr>', '<Othr><Id>12345</Id></Othr>'),
    ],
    [
      'IBAN with spaces',
      (x) => x.replace('<IBAN>FR1420041010050500013M02606</IBAN>', '<IBAN>FR14 2004 1010 0505 0001 3M02 606</IBAN>'),
    ],
    [
      'IBAN without country',
      (x) => x.replace('<IBAN>FR1420041010050500013M02606</IBAN>', '<IBAN>1420041010050500013M02606</IBAN>'),
    ],
    [
      'end-to-end id of 36 characters',
      (x) => x.replace('<EndToEndId>F-1-1</EndToEndId>', `<EndToEndId>${'E'.repeat(36)}</EndToEndId>`),
    ],
    [
      'end-to-end id starting with "/"',
      (x) => x.replace('<EndToEndId>F-1-1</EndToEndId>', '<EndToEndId>/F-1-1</EndToEndId>'),
    ],
    ['end-to-end id with "//"', (x) => x.replace('<EndToEndId>F-1-1</EndToEndId>', '<EndToEndId>F//1-1</EndToEndId>')],
    [
      'end-to-end id outside the SEPA set',
      (x) => x.replace('<EndToEndId>F-1-1</EndToEndId>', '<EndToEndId>F_1_1</EndToEndId>'),
    ],
    ['message id of 36 characters', (x) => x.replace('<MsgId>MSG-1</MsgId>', `<MsgId>${'M'.repeat(36)}</MsgId>`)],
    ['mandate reference with a space', (x) => x.replace('<MndtId>RUM-001</MndtId>', '<MndtId>RUM 001</MndtId>')],
    ['no mandate reference', (x) => x.replace('<MndtId>RUM-001</MndtId>', '')],
    ['no date of signature', (x) => x.replace('<DtOfSgntr>2025-12-01</DtOfSgntr>', '')],
    ['no mandate information', (x) => x.replace(/<DrctDbtTx>[\s\S]*?<\/DrctDbtTx>/, '')],
    ['debtor name of 71 characters', (x) => x.replace('<Nm>Boulangerie Martin</Nm>', `<Nm>${'B'.repeat(71)}</Nm>`)],
    [
      'debtor name outside the SEPA set',
      (x) => x.replace('<Nm>Boulangerie Martin</Nm>', '<Nm>Boulangerie_Martin</Nm>'),
    ],
    ['no debtor name', (x) => x.replace('<Dbtr><Nm>Boulangerie Martin</Nm></Dbtr>', '<Dbtr></Dbtr>')],
    [
      'two remittance lines',
      (x) => x.replace('<Ustrd>Facture F-1</Ustrd>', '<Ustrd>Facture F-1</Ustrd><Ustrd>encore</Ustrd>'),
    ],
    [
      'remittance of 141 characters',
      (x) => x.replace('<Ustrd>Facture F-1</Ustrd>', `<Ustrd>${'R'.repeat(141)}</Ustrd>`),
    ],
    [
      'collection date as DD/MM/YYYY',
      (x) => x.replace(/<ReqdColltnDt>.*<\/ReqdColltnDt>/, '<ReqdColltnDt>05/03/2026</ReqdColltnDt>'),
    ],
    [
      'collection date with a time zone',
      (x) => x.replace(/<ReqdColltnDt>.*<\/ReqdColltnDt>/, '<ReqdColltnDt>2026-03-05Z</ReqdColltnDt>'),
    ],
    ['no collection date', (x) => x.replace(/<ReqdColltnDt>.*<\/ReqdColltnDt>/, '')],
    [
      'creation date without seconds',
      (x) => x.replace('<CreDtTm>2026-03-01T10:00:00</CreDtTm>', '<CreDtTm>2026-03-01T10:00</CreDtTm>'),
    ],
    ['charge bearer other than SLEV', (x) => x.replace('<ChrgBr>SLEV</ChrgBr>', '<ChrgBr>SHAR</ChrgBr>')],
    ['creditor scheme id of another scheme', (x) => x.replace('<Prtry>SEPA</Prtry>', '<Prtry>OTHER</Prtry>')],
    ['creditor scheme id not shaped as one', (x) => x.replace('<Id>FR72ZZZ123456</Id>', '<Id>123456</Id>')],
    ['no creditor scheme id', (x) => x.replace(/<CdtrSchmeId>[\s\S]*?<\/CdtrSchmeId>/, '')],
    ['payment information without transaction', (x) => x.replace(/<DrctDbtTxInf>[\s\S]*?<\/DrctDbtTxInf>/g, '')],
    ['no payment information', (x) => x.replace(/<PmtInf>[\s\S]*<\/PmtInf>/, '')],
    ['number of transactions not numeric', (x) => x.replace(/<NbOfTxs>2<\/NbOfTxs>/, '<NbOfTxs>two</NbOfTxs>')],
  ];
  it.each(broken)('the schema refuses a file with %s', async (_rule, breakIt) => {
    const xml = sample();
    const damaged = breakIt(xml);
    expect(damaged).not.toBe(xml);
    expect(await schemaErrors(damaged)).not.toEqual([]);
  });

  it('writes only identifiers and mandate references the SEPA rules accept', async () => {
    expect(sepaIdentifier('/2026//F 1/', 35)).toBe('2026/F-1');
    expect(sepaIdentifier('//', 35)).toBe('X');
    expect(sepaIdentifier('AB/CD', 3)).toBe('AB');
    expect(['RUM-001', 'RUM/2026/1', '++RUM(1)'].map(isMandateReference)).toEqual([true, true, true]);
    expect(['RUM 001', '/RUM', 'RUM/', 'RUM//1', 'RUM_1', '', 'R'.repeat(36)].map(isMandateReference)).toEqual(
      Array(7).fill(false),
    );
  });

  it('has counts and control sums that agree with its transactions (what XSD 1.0 cannot check)', () => {
    expect(countsAndSums(sample().replace('<NbOfTxs>2</NbOfTxs>', '<NbOfTxs>3</NbOfTxs>'))).toEqual([
      'GrpHdr/NbOfTxs 3, not 2',
    ]);
    expect(countsAndSums(sample().replace('<CtrlSum>1284.56</CtrlSum>', '<CtrlSum>1284.55</CtrlSum>'))).toEqual([
      'GrpHdr/CtrlSum 1284.55, not 1284.56',
    ]);
  });
});

async function ledger(db: Db) {
  const company = await createCompany(db, { legalName: 'Atelier Durand' });
  await updateCompany(db, company.id, { iban: 'FR7630006000011234567890189', bic: 'AGRIFRPP' });
  await setCreditorId(db, company.id, 'FR72 ZZZ 123456');
  const martin = await createCustomer(db, company.id, customerInput('MARTIN', { name: 'Boulangerie Martin' }));
  const leroy = await createCustomer(db, company.id, customerInput('LEROY', { name: 'Garage Leroy' }));
  const other = await createCustomer(db, company.id, customerInput('OTHER', { name: 'Sans mandat' }));
  await addMandate(db, company.id, {
    customerCode: 'MARTIN',
    reference: 'RUM-MARTIN-1',
    iban: 'FR1420041010050500013M02606',
    signedOn: '2025-12-01',
  });
  await addMandate(db, company.id, {
    customerCode: 'LEROY',
    reference: 'RUM-LEROY-1',
    iban: 'DE89370400440532013000',
    bic: 'COBADEFFXXX',
    signedOn: '2025-11-15',
  });
  const invoice = (customerId: string, number: string, total: number, dueDate: string) =>
    createInvoice(
      db,
      company.id,
      customerId,
      invoiceInput(number, { total, totalExclTax: null, issueDate: '2026-02-01', dueDate }),
    );
  const f1 = await invoice(martin.id, 'F-1', 120_000, '2026-03-01');
  await insertPayment(db, company.id, {
    customerId: martin.id,
    date: '2026-02-10',
    currency: 'EUR',
    amount: 20_000,
    method: 'transfer',
    reference: null,
    allocations: [{ invoiceId: f1.id, amount: 20_000 }],
  });
  await invoice(martin.id, 'F-2', 30_000, '2026-03-04');
  await invoice(leroy.id, 'F-3', 50_000, '2026-02-28');
  await invoice(other.id, 'F-4', 10_000, '2026-02-28');
  await invoice(martin.id, 'F-5', 70_000, '2026-03-02');
  await setDispute(db, company.id, 'F-5', 'Livraison incomplète');
  await invoice(martin.id, 'F-6', 40_000, '2026-04-30');
  return company;
}

describe.each(dialects)('SEPA direct debit on %s', (dialect) => {
  const store = useStore(dialect);

  it('collects the due invoices of customers with a mandate, holds them, and settles or reopens them from the statement', async () => {
    const { db } = store();
    const company = await ledger(db);
    const out = join(dir, `${dialect}-debit.xml`);
    const batch = await generateDirectDebits(db, company.id, {
      collectionDate: '2026-03-05',
      today: '2026-03-02',
      out,
    });
    expect(batch.debits.map((d) => [d.invoice, d.customer, d.amount, d.sequenceType, d.endToEndId])).toEqual([
      ['F-3', 'LEROY', 50_000, 'FRST', 'F-3-1'],
      ['F-1', 'MARTIN', 100_000, 'FRST', 'F-1-1'],
      ['F-2', 'MARTIN', 30_000, 'RCUR', 'F-2-1'],
    ]);
    expect(batch.total).toBe(180_000);
    const xml = readFileSync(out, 'utf-8');
    expect(await schemaErrors(xml)).toEqual([]);
    expect(countsAndSums(xml)).toEqual([]);
    expect(xml).toContain('<CtrlSum>1800.00</CtrlSum>');
    expect(xml).toContain('<Id>FR72ZZZ123456</Id>');
    expect(existsSync(`${out}.${process.pid}.tmp`)).toBe(false);
    // The file can be made again from the records alone, byte for byte (a file lost after the commit).
    expect((await debitBatchFile(db, company.id, batch.messageId)).xml).toBe(xml);
    expect(await listDebitBatches(db, company.id)).toEqual([
      { messageId: batch.messageId, collectionDate: '2026-03-05', debits: 3, total: 180_000, pending: 3 },
    ]);
    // Each collected invoice is held until the bank has had time to collect or return it.
    const held = addDays('2026-03-05', PENDING_DEBIT_HOLD_DAYS);
    expect((await getInvoiceByNumber(db, company.id, 'F-1')).promiseToPayDate).toBe(held);
    expect((await listMandates(db, company.id)).map((m) => m.firstDebitOn)).toEqual(['2026-03-05', '2026-03-05']);

    // Nothing is collected twice while pending, and no file is written for nothing.
    const again = join(dir, `${dialect}-again.xml`);
    await expectAppError(
      generateDirectDebits(db, company.id, { collectionDate: '2026-03-05', today: '2026-03-02', out: again }),
      'not_found',
      /No invoice to collect/,
    );
    expect(existsSync(again)).toBe(false);

    // The statement shows the batch credited (with one return of Leroy's debit the next day).
    const statement = camt053([
      {
        amount: '1800.00',
        sign: 'CRDT',
        date: '2026-03-05',
        txs: [
          { amount: '500.00', endToEndId: 'F-3-1', ref: 'DD-1' },
          { amount: '1000.00', endToEndId: 'F-1-1', ref: 'DD-2' },
          { amount: '300.00', endToEndId: 'F-2-1', ref: 'DD-3' },
        ],
      },
      { amount: '500.00', sign: 'DBIT', date: '2026-03-06', txs: [{ endToEndId: 'F-3-1', ref: 'RT-1' }] },
    ]);
    const report = await importBankStatement(db, systemActor(company.id), {
      fileName: 'releve.xml',
      bytes: new TextEncoder().encode(statement),
      currency: 'EUR',
    });
    expect(report.outcomes.map((o) => [o.status, o.rule, o.invoices])).toEqual([
      ['matched', 'direct_debit', ['F-3']],
      ['matched', 'direct_debit', ['F-1']],
      ['matched', 'direct_debit', ['F-2']],
      ['returned', undefined, undefined],
    ]);
    expect(
      await Promise.all(
        ['F-1', 'F-2', 'F-3'].map(async (n) => {
          const i = await getInvoiceByNumber(db, company.id, n);
          return [n, i.total - i.allocated, i.promiseToPayDate];
        }),
      ),
    ).toEqual([
      ['F-1', 0, held],
      ['F-2', 0, held],
      ['F-3', 50_000, null],
    ]);
    const statuses = await rawQuery<{ end_to_end_id: string; status: string }>(
      db,
      'select end_to_end_id, status from direct_debits order by end_to_end_id',
    );
    expect(statuses).toEqual([
      { end_to_end_id: 'F-1-1', status: 'paid' },
      { end_to_end_id: 'F-2-1', status: 'paid' },
      { end_to_end_id: 'F-3-1', status: 'returned' },
    ]);

    // The returned invoice can be collected again, as a recurring debit with a new end-to-end id.
    const retry = await generateDirectDebits(db, company.id, {
      collectionDate: '2026-03-12',
      today: '2026-03-09',
      out: join(dir, `${dialect}-retry.xml`),
    });
    expect(retry.debits.map((d) => [d.invoice, d.sequenceType, d.endToEndId])).toEqual([['F-3', 'RCUR', 'F-3-2']]);
  });

  it("settles every debit of a file that the bank credits as one amount under the file's reference", async () => {
    const { db } = store();
    const company = await ledger(db);
    const batch = await generateDirectDebits(db, company.id, {
      collectionDate: '2026-03-05',
      today: '2026-03-02',
      out: join(dir, `${dialect}-one.xml`),
    });
    const statement = camt053([
      { amount: '1800.00', sign: 'CRDT', date: '2026-03-05', info: `REMISE PRLV SEPA ${batch.messageId}` },
      { amount: '1300.00', sign: 'CRDT', date: '2026-03-05', info: `REMISE PRLV SEPA ${batch.messageId}-FRST` },
    ]);
    const report = await importBankStatement(db, systemActor(company.id), {
      fileName: 'releve.xml',
      bytes: new TextEncoder().encode(statement),
      currency: 'EUR',
    });
    expect(report.outcomes.map((o) => [o.amount, o.status, o.rule ?? o.reason, o.invoices])).toEqual([
      [180_000, 'matched', 'direct_debit_batch', ['F-1', 'F-2', 'F-3']],
      // The FRST block (F-3 and F-1: 1 500.00) was already settled by the whole file: this one is left to a person.
      [130_000, 'unmatched', expect.any(String), undefined],
    ]);
    const statuses = await rawQuery<{ status: string; payment_id: string | null }>(
      db,
      'select status, payment_id from direct_debits',
    );
    expect(statuses.every((d) => d.status === 'paid' && d.payment_id !== null)).toBe(true);
    expect(
      await Promise.all(
        ['F-1', 'F-2', 'F-3'].map(async (n) => (await getInvoiceByNumber(db, company.id, n)).allocated),
      ),
    ).toEqual([120_000, 30_000, 50_000]);
  });

  it('refuses a collection date that is not in the future, and a company without creditor identifier', async () => {
    const { db } = store();
    const company = await ledger(db);
    await expectAppError(
      generateDirectDebits(db, company.id, {
        collectionDate: '2026-03-02',
        today: '2026-03-02',
        out: join(dir, 'x.xml'),
      }),
      'invalid_input',
      /must be after today/,
    );
    await expectAppError(
      generateDirectDebits(db, company.id, {
        collectionDate: '2026-03-07',
        today: '2026-03-02',
        out: join(dir, 'x.xml'),
      }),
      'invalid_input',
      /2026-03-07 is not a SEPA settlement \(TARGET\) day; the next one is 2026-03-09/,
    );
    const bare = await createCompany(db, { legalName: 'Sans ICS' });
    await expectAppError(
      generateDirectDebits(db, bare.id, { collectionDate: '2026-03-05', today: '2026-03-02', out: join(dir, 'y.xml') }),
      'invalid_input',
      /No SEPA creditor identifier/,
    );
    await expectAppError(
      addMandate(db, company.id, {
        customerCode: 'OTHER',
        reference: 'RUM-X',
        iban: 'FR7630006000011234567890188',
        signedOn: '2026-01-01',
      }),
      'invalid_input',
      /iban: .*wrong IBAN check digits/,
    );
    await expectAppError(
      addMandate(db, company.id, {
        customerCode: 'OTHER',
        reference: 'RUM X',
        iban: 'FR7630006000011234567890189',
        signedOn: '2026-01-01',
      }),
      'invalid_input',
      /reference: "RUM X" is not a mandate reference .*no space/,
    );
  });
});
