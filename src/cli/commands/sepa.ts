import { writeFileSync } from 'node:fs';
import { Command } from 'commander';
import { todayIn } from '../../domain/calendar.ts';
import { withStore, cliActor } from '../context.ts';
import { money, printJson, shownDate as dateIn, table } from '../format.ts';
import { dateValue } from '../parse-options.ts';
import { words } from '../words.ts';

// Loaded when a command runs, so that every other command starts as fast as before.
const mandates = () => import('../../integrations/sepa/mandates.ts');
const debits = () => import('../../integrations/sepa/make-debit-batch.ts');
const debitFiles = () => import('../../integrations/sepa/debit-file.ts');

const shownDate = (iso: string) => dateIn(iso, words().language);

/** `relance sepa settings | mandate … | debit`: SEPA Core direct debit (prélèvement) files. */
export function sepaCommand(): Command {
  const sepa = new Command('sepa').description('SEPA direct debit: creditor identifier, mandates, pain.008 files');
  sepa
    .command('settings')
    .description("sets the company's SEPA creditor identifier (ICS)")
    .requiredOption('--creditor-id <ics>', 'e.g. FR12ZZZ123456')
    .action(async (options: { creditorId: string }, command: Command) => {
      const id = await withStore(command, async (store, company) =>
        (await mandates()).setCreditorId(store.db, company.id, options.creditorId),
      );
      process.stdout.write(`${words().t('cli.report.sepa.creditorSet', { id })}\n`);
    });
  const mandate = sepa.command('mandate').description("customers' signed mandates");
  mandate
    .command('add')
    .description('records a signed mandate (RUM)')
    .requiredOption('--customer <code>', 'customer code')
    .requiredOption('--reference <rum>', 'unique mandate reference (RUM), up to 35 characters')
    .requiredOption('--iban <iban>', 'the account to debit')
    .option('--bic <bic>', "the debtor bank's BIC (optional within SEPA)")
    .requiredOption('--signed <date>', 'date of signature')
    .action(
      async (
        options: { customer: string; reference: string; iban: string; bic?: string; signed: string },
        command: Command,
      ) => {
        const m = await withStore(command, async (store, company) =>
          (await mandates()).addMandate(store.db, company.id, {
            customerCode: options.customer,
            reference: options.reference,
            iban: options.iban,
            bic: options.bic ?? null,
            signedOn: options.signed,
          }),
        );
        process.stdout.write(
          `${words().t('cli.report.sepa.mandateAdded', { reference: m.reference, customer: m.customerCode, iban: m.iban })}\n`,
        );
      },
    );
  mandate
    .command('list')
    .description('mandates with their first debit and revocation')
    .option('--json', 'print as JSON')
    .action(async (options: { json?: boolean }, command: Command) => {
      const list = await withStore(command, async (store, company) =>
        (await mandates()).listMandates(store.db, company.id),
      );
      if (options.json) printJson(list);
      else
        process.stdout.write(
          `${table(
            ['customer', 'reference', 'iban', 'signed', 'firstDebit', 'revoked'].map((k) =>
              words().t(`cli.report.sepa.column.${k}`),
            ),
            list.map((m) => [
              m.customerCode,
              m.reference,
              m.iban,
              shownDate(m.signedOn),
              m.firstDebitOn ? shownDate(m.firstDebitOn) : '',
              m.revokedOn ? shownDate(m.revokedOn) : '',
            ]),
          )}\n`,
        );
    });
  mandate
    .command('revoke')
    .description('stops debiting on a mandate')
    .argument('<reference>', 'mandate reference (RUM)')
    .option('--date <date>', 'date of revocation (default today)')
    .action(async (reference: string, options: { date?: string }, command: Command) => {
      await withStore(command, async (store, company) =>
        (await mandates()).revokeMandate(
          store.db,
          company.id,
          reference,
          options.date ? dateValue(options.date, '--date') : todayIn(company.timeZone),
        ),
      );
      process.stdout.write(`${words().t('cli.report.sepa.mandateRevoked', { reference })}\n`);
    });
  sepa
    .command('batches')
    .description('the direct-debit files recorded, with how many debits are still pending')
    .option('--json', 'print as JSON')
    .action(async (options: { json?: boolean }, command: Command) => {
      const { batches, locale } = await withStore(command, async (store, company) => ({
        batches: await (await debitFiles()).listDebitBatches(store.db, company.id),
        locale: company.locale,
      }));
      if (options.json) return printJson(batches);
      process.stdout.write(
        `${table(
          ['messageId', 'collection', 'debits', 'total', 'pending'].map((k) =>
            words().t(`cli.report.sepa.column.${k}`),
          ),
          batches.map((b) => [
            b.messageId,
            shownDate(b.collectionDate),
            String(b.debits),
            money(b.total, 'EUR', locale),
            String(b.pending),
          ]),
          [2, 3, 4],
        )}\n`,
      );
    });
  sepa
    .command('file')
    .description('writes again the pain.008 file of a recorded batch (the same document, for a file lost or damaged)')
    .argument('<message-id>', 'the batch (relance sepa batches)')
    .requiredOption('--out <file.xml>', 'where to write it')
    .action(async (messageId: string, options: { out: string }, command: Command) => {
      const { xml, batch } = await withStore(command, async (store, company) =>
        (await debitFiles()).debitBatchFile(store.db, company.id, messageId),
      );
      writeFileSync(options.out, xml);
      process.stdout.write(
        `${words().t('cli.report.sepa.fileWritten', {
          file: options.out,
          count: batch.debits.length,
          batch: batch.messageId,
          date: batch.collectionDate,
        })}\n`,
      );
    });
  sepa
    .command('debit')
    .description(
      'writes the pain.008 file of the due invoices of customers with a mandate; they are held as pending payments',
    )
    .requiredOption('--date <date>', 'requested collection date (after today)')
    .requiredOption('--out <file.xml>', 'where to write the pain.008 file')
    .option('--json', 'print the batch as JSON')
    .action(async (options: { date: string; out: string; json?: boolean }, command: Command) => {
      const collectionDate = dateValue(options.date, '--date');
      const { batch, locale } = await withStore(command, async (store, company) => ({
        batch: await (
          await debits()
        ).writeDebitBatch(store.db, cliActor(company), { collectionDate, out: options.out }),
        locale: company.locale,
      }));
      if (options.json) printJson(batch);
      else {
        process.stdout.write(
          `${words().t('cli.report.sepa.debitWritten', {
            file: batch.file,
            count: batch.debits.length,
            total: money(batch.total, 'EUR', locale),
            date: batch.collectionDate,
            batch: batch.messageId,
          })}\n`,
        );
        process.stdout.write(
          `${table(
            ['invoice', 'customer', 'amount', 'sequence', 'endToEnd'].map((k) =>
              words().t(`cli.report.sepa.column.${k}`),
            ),
            batch.debits.map((d) => [
              d.invoice,
              d.customer,
              money(d.amount, 'EUR', locale),
              d.sequenceType,
              d.endToEndId,
            ]),
            [2],
          )}\n`,
        );
      }
    });
  // main.ts makes two levels throw on a wrong flag (exit code 2); the mandate sub-commands are a third.
  for (const sub of mandate.commands) sub.exitOverride();
  return sepa;
}
