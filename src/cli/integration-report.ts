import { money, table } from './format.ts';
import { describeFieldIssue } from './describe-error.ts';
import { words } from './words.ts';
import { formatIsoDate } from '../i18n/format-date.ts';
import type { EInvoiceImportReport } from '../integrations/einvoice/import-einvoices.ts';
import type { BankImportReport } from '../integrations/bank/import-bank.ts';
import type { FecImportReport } from '../integrations/fec/import-fec.ts';

/** How the CLI prints the import reports (the JSON form is the report itself). */
export function printEInvoiceReport(report: EInvoiceImportReport): void {
  const lines: string[] = [];
  for (const i of report.invoices) {
    const due =
      i.dueDateSource === 'BT-9'
        ? i.dueDate
        : `${i.dueDate} (${i.dueDateSource === 'BT-20' ? 'from the payment terms' : 'issue date + 30 days'})`;
    lines.push(
      `${i.file}: ${i.kind === 'credit_note' ? 'credit note' : 'invoice'} ${i.invoice} ${i.action} (${i.format}), ` +
        `customer ${i.customer}${i.customerCreated ? ' (new)' : ''}${i.kind === 'invoice' ? `, due ${due}` : ''}${i.pdfKept ? ', PDF kept' : ''}`,
    );
  }
  for (const s of report.statuses) {
    lines.push(
      `${s.file}: invoice ${s.invoice} status ${s.code} ${s.label} on ${s.date}: ${s.effect.replaceAll('_', ' ')}`,
    );
  }
  if (report.dryRun) lines.push('Dry run: nothing was written.');
  process.stdout.write(`${lines.join('\n')}${lines.length ? '\n' : ''}`);
  for (const r of report.rejected) process.stderr.write(`  left out: ${r.reason}\n`);
}

export function printBankReport(report: BankImportReport, locale: string): void {
  const { t, language } = words();
  process.stdout.write(
    `${t('cli.out.bank.report', {
      file: report.file,
      format: report.format,
      count: report.lines,
      matched: report.matched,
      unmatched: report.unmatched,
      ignored: report.ignored,
      already: report.alreadyImported,
      skipped: report.skipped.length > 0 ? t('cli.out.bank.skipped', { count: report.skipped.length }) : '',
      dryRun: report.dryRun ? t('cli.out.bank.dryRun') : '',
    })}\n`,
  );
  const rows = report.outcomes
    .filter((o) => o.status === 'matched' || o.status === 'unmatched' || o.status === 'returned')
    .map((o) => [
      formatIsoDate(o.date, language),
      money(o.amount, o.currency, locale),
      o.counterparty ?? '',
      t(`cli.out.bank.status.${o.status}`),
      o.invoices?.join(', ') ?? o.reason ?? '',
    ]);
  if (rows.length > 0)
    process.stdout.write(
      `${table(
        ['date', 'amount', 'from', 'status', 'why'].map((k) => t(`cli.out.bank.column.${k}`)),
        rows,
        [1],
      )}\n`,
    );
  for (const issue of report.skipped)
    process.stderr.write(`  ${t('cli.out.bank.leftOut', { issue: describeFieldIssue(issue, language) })}\n`);
}

export function printFecReport(r: FecImportReport, locale: string): void {
  const s = r.summary;
  process.stdout.write(
    [
      `${r.file} (FEC, '${r.separator}' separated): ${s.lines} lines, ${s.customerLines} on customer accounts (411), ${s.otherAccountLines} on other accounts left out.`,
      `Lettered and balanced, left out as paid: ${s.settledGroups} groups, ${money(s.settledAmount, 'EUR', locale)}.`,
      `Customers: ${r.customers.created} created, ${r.customers.existing} already known.`,
      `Open invoices: ${r.invoices.created} created, ${r.invoices.unchanged} already known.`,
      `Payments: ${r.payments.created} created, ${r.payments.unchanged} already known; credit notes: ${r.creditNotes.created} created, ` +
        `${r.creditNotes.unchanged} already known.`,
      ...(s.partlyLettered > 0
        ? [`${s.partlyLettered} partly lettered groups: their credits were allocated to their invoices.`]
        : []),
      ...(s.unletteredCredits > 0
        ? [`${s.unletteredCredits} unlettered credits recorded as unallocated: check them.`]
        : []),
      ...(r.dryRun ? ['Dry run: nothing was written.'] : []),
    ].join('\n') + '\n',
  );
  for (const issue of r.issues.slice(0, 50))
    process.stderr.write(`  left out, line ${issue.line}: ${issue.field}: ${issue.reason}\n`);
}
