import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readBankCsv } from '../../src/integrations/bank/bank-csv.ts';
import { readCamt053 } from '../../src/integrations/bank/camt053.ts';
import { readEInvoice } from '../../src/integrations/einvoice/read-einvoice.ts';
import { readFec } from '../../src/integrations/fec/read-fec.ts';
import { AppError } from '../../src/shared/errors.ts';
import { importBankStatement } from '../../src/integrations/bank/import-bank.ts';
import { importEInvoices } from '../../src/integrations/einvoice/import-einvoices.ts';
import { importFec } from '../../src/integrations/fec/import-fec.ts';
import { createCompany } from '../../src/storage/companies.ts';
import { rawQuery } from '../../src/storage/database.ts';
import { freshStore, type TestStore } from '../support/stores.ts';
import { ROOT } from '../cli/support.ts';
import { camt053 } from '../integrations/support/camt.ts';
import { generateEInvoice, type SampleInvoice } from '../integrations/support/einvoice-samples.ts';
import { systemActor } from '../../src/shared/actor.ts';

/**
 * Property: a damaged file (valid ones cut, spliced, with bytes and hostile fragments inserted) given to the
 * FEC, CAMT.053, bank CSV and e-invoice readers is read or refused with an AppError naming the file; never
 * a TypeError, a RangeError or a hang. Given to the imports themselves, a refused file writes nothing.
 */
const FRAGMENTS = [
  '<',
  '>',
  '&',
  '&amp;',
  '&#0;',
  ']]>',
  '<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>',
  '&e;',
  '|',
  '\t',
  ';',
  '"',
  '\r\n',
  '\u0000',
  '\uFFFD',
  '-',
  '9'.repeat(40),
  '1e999',
  ',',
  '.',
  '20261340',
  '2026-02-30',
  'NaN',
  '<Amt Ccy="EUR">-1</Amt>',
  '</Ntry>',
  '<Ntry>',
  '</rsm:CrossIndustryInvoice>',
  '%PDF-1.7',
  '%%EOF',
  'é',
  '\u202e',
];
type Mutation = { kind: 'cut' | 'delete' | 'insert' | 'duplicate'; at: number; length: number; fragment: string };
const mutation = fc.record({
  kind: fc.constantFrom('cut', 'delete', 'insert', 'duplicate'),
  at: fc.nat(),
  length: fc.nat({ max: 200 }),
  fragment: fc.oneof(
    fc.constantFrom(...FRAGMENTS),
    fc.string({ maxLength: 6 }),
    fc.string({ unit: 'binary', maxLength: 4 }),
  ),
}) as fc.Arbitrary<Mutation>;

function mutate(source: Uint8Array, mutations: Mutation[]): Uint8Array {
  let bytes = Buffer.from(source);
  for (const m of mutations) {
    const at = m.at % (bytes.length + 1);
    if (m.kind === 'cut') bytes = bytes.subarray(0, at);
    else if (m.kind === 'delete') bytes = Buffer.concat([bytes.subarray(0, at), bytes.subarray(at + m.length)]);
    else if (m.kind === 'insert')
      bytes = Buffer.concat([bytes.subarray(0, at), Buffer.from(m.fragment, 'utf8'), bytes.subarray(at)]);
    else bytes = Buffer.concat([bytes.subarray(0, at + m.length), bytes.subarray(at)]);
  }
  return bytes;
}

const SAMPLE: SampleInvoice = {
  number: 'F-2026-001',
  issueDate: '2026-03-01',
  dueDate: '2026-03-31',
  net: '1000.00',
  vat: '200.00',
  total: '1200.00',
  due: '1200.00',
  buyer: { name: 'Boulangerie Martin', siren: '732829320', email: 'compta@martin.fr' },
};
const FEC = readFileSync(join(ROOT, 'test/fixtures/integrations/fec-sample.txt'));
const CAMT = Buffer.from(
  camt053([
    {
      amount: '1200.00',
      sign: 'CRDT',
      date: '2026-03-02',
      txs: [{ debtor: 'BOULANGERIE MARTIN', ustrd: 'Reglement facture F-100' }],
    },
    { amount: '12.50', sign: 'DBIT', date: '2026-03-02', info: 'FRAIS' },
    {
      amount: '500.00',
      sign: 'CRDT',
      date: '2026-03-03',
      txs: [
        { amount: '300.00', strdRef: 'F-101', ref: 'TX-1' },
        { amount: '200.00', ustrd: 'acompte', ref: 'TX-2' },
      ],
    },
  ]),
);
const BANK_CSV = Buffer.from(
  'date;libelle;montant;reference\n02/03/2026;VIR BOULANGERIE MARTIN F-100;1200,00;R1\n03/03/2026;FRAIS;-12,50;\n',
);

async function refusedCleanly(file: string, read: () => unknown): Promise<'read' | 'refused'> {
  try {
    await read();
    return 'read';
  } catch (error) {
    expect(error, String((error as Error).stack)).toBeInstanceOf(AppError);
    expect((error as Error).message, (error as Error).message).toContain(file);
    return 'refused';
  }
}

const einvoices: Record<string, Uint8Array> = {};
beforeAll(async () => {
  for (const format of ['cii', 'ubl', 'factur-x'] as const) einvoices[format] = await generateEInvoice(SAMPLE, format);
  // A good file of another number beside a damaged one: a refusal must leave it out too (all or nothing).
  einvoices.other = await generateEInvoice({ ...SAMPLE, number: 'F-2026-002' }, 'cii');
}, 120_000);

describe('integration readers under damaged files (fast-check)', () => {
  const cases: [string, () => Uint8Array, (name: string, bytes: Uint8Array) => unknown, number][] = [
    ['FEC', () => FEC, (name, bytes) => readFec(name, bytes), 300],
    ['CAMT.053', () => CAMT, (name, bytes) => readCamt053(name, bytes), 300],
    ['bank CSV', () => BANK_CSV, (name, bytes) => readBankCsv(name, bytes, 'EUR'), 300],
    ['CII', () => einvoices.cii!, (name, bytes) => readEInvoice(name, bytes), 200],
    ['UBL', () => einvoices.ubl!, (name, bytes) => readEInvoice(name, bytes), 200],
    ['Factur-X PDF', () => einvoices['factur-x']!, (name, bytes) => readEInvoice(name, bytes), 60],
  ];
  for (const [label, source, read, runs] of cases) {
    it(`${label}: read or refused with an error naming the file`, async () => {
      const seen = { read: 0, refused: 0 };
      await fc.assert(
        fc.asyncProperty(fc.array(mutation, { minLength: 1, maxLength: 4 }), async (mutations) => {
          const bytes = mutate(source(), mutations);
          seen[await refusedCleanly('damaged.file', () => read('damaged.file', bytes))]++;
        }),
        { numRuns: runs, seed: 20261125 },
      );
      expect(seen.refused).toBeGreaterThan(0);
      console.info(`parser fuzz ${label}: ${JSON.stringify(seen)}`);
    }, 300_000);
  }
});

const TABLES = [
  'customers',
  'contacts',
  'invoices',
  'invoice_files',
  'payments',
  'allocations',
  'credit_notes',
  'bank_lines',
  'einvoice_statuses',
] as const;

describe('integration imports under damaged files (fast-check): refused means nothing written', () => {
  let store: TestStore;
  let companyId: string;
  beforeAll(async () => {
    store = await freshStore('sqlite');
    companyId = (await createCompany(store.db, { legalName: 'Atelier Durand' })).id;
  }, 60_000);
  afterAll(async () => store?.dispose());

  const counts = async () =>
    Object.fromEntries(
      await Promise.all(
        TABLES.map(
          async (table) =>
            [
              table,
              Number((await rawQuery<{ n: number | string }>(store.db, `select count(*) as n from ${table}`))[0]!.n),
            ] as const,
        ),
      ),
    );
  const cases: [string, () => Uint8Array, (name: string, bytes: Uint8Array) => Promise<unknown>, number][] = [
    [
      'FEC',
      () => FEC,
      (fileName, bytes) => importFec(store.db, systemActor(companyId), { fileName, bytes, currency: 'EUR' }),
      60,
    ],
    [
      'CAMT.053',
      () => CAMT,
      (fileName, bytes) => importBankStatement(store.db, systemActor(companyId), { fileName, bytes, currency: 'EUR' }),
      60,
    ],
    [
      'bank CSV',
      () => BANK_CSV,
      (fileName, bytes) => importBankStatement(store.db, systemActor(companyId), { fileName, bytes, currency: 'EUR' }),
      60,
    ],
    [
      'CII',
      () => einvoices.cii!,
      (fileName, bytes) => importEInvoices(store.db, systemActor(companyId), { files: [{ fileName, bytes }] }),
      40,
    ],
    [
      'UBL',
      () => einvoices.ubl!,
      (fileName, bytes) => importEInvoices(store.db, systemActor(companyId), { files: [{ fileName, bytes }] }),
      40,
    ],
    [
      'Factur-X PDF',
      () => einvoices['factur-x']!,
      (fileName, bytes) =>
        importEInvoices(store.db, systemActor(companyId), {
          files: [
            { fileName: 'good.xml', bytes: einvoices.other! },
            { fileName, bytes },
          ],
        }),
      30,
    ],
  ];
  for (const [label, source, importFile, runs] of cases) {
    it(`${label}: imported, or refused with an AppError naming the file and no row written`, async () => {
      const seen = { read: 0, refused: 0 };
      await fc.assert(
        fc.asyncProperty(fc.array(mutation, { minLength: 1, maxLength: 4 }), async (mutations) => {
          const before = await counts();
          const outcome = await refusedCleanly('damaged.file', () =>
            importFile('damaged.file', mutate(source(), mutations)),
          );
          seen[outcome]++;
          if (outcome === 'refused') expect(await counts()).toEqual(before);
        }),
        { numRuns: runs, seed: 20261125 },
      );
      expect(seen.refused).toBeGreaterThan(0);
      console.info(`import fuzz ${label}: ${JSON.stringify(seen)}`);
    }, 300_000);
  }
});
