import { money, table } from './format.ts';
import { describeFieldIssue } from './describe-error.ts';
import { words } from './words.ts';
import { formatIsoDate } from '../i18n/format-date.ts';
import { issueReason } from '../i18n/index.ts';
import type { EInvoiceImportReport } from '../integrations/einvoice/import-einvoices.ts';
import type { BankImportReport } from '../integrations/bank/import-bank.ts';
import type { FecImportReport } from '../integrations/fec/import-fec.ts';

/** How the CLI prints the import reports (the JSON form is the report itself). */
export function printEInvoiceReport(report: EInvoiceImportReport): void {
  const { t, language } = words();
  const lines: string[] = [];
  for (const i of report.invoices) {
    const source =
      i.dueDateSource === 'BT-9'
        ? ''
        : t(`cli.report.einvoice.${i.dueDateSource === 'BT-20' ? 'dueTerms' : 'dueDefault'}`);
    lines.push(
      t('cli.report.einvoice.line', {
        file: i.file,
        head: t(`cli.report.einvoice.head.${i.kind}_${i.action}`, { invoice: i.invoice }),
        format: i.format,
        customer: i.customer,
        isNew: i.customerCreated ? t('cli.report.einvoice.isNew') : '',
        due: i.kind === 'invoice' ? t('cli.report.einvoice.due', { date: i.dueDate, source }) : '',
        pdf: i.pdfKept ? t('cli.report.einvoice.pdfKept') : '',
      }),
    );
  }
  for (const s of report.statuses) {
    lines.push(
      t('cli.report.einvoice.status', {
        file: s.file,
        invoice: s.invoice,
        code: s.code,
        label: s.label,
        date: s.date,
        effect: t(`cli.report.einvoice.effect.${s.effect}`),
      }),
    );
  }
  if (report.dryRun) lines.push(t('cli.report.dryRun'));
  process.stdout.write(`${lines.join('\n')}${lines.length ? '\n' : ''}`);
  for (const r of report.rejected) {
    const reason = issueReason({ field: r.file, ...r }, language);
    process.stderr.write(`  ${t('cli.report.einvoice.leftOut', { file: r.file, reason })}\n`);
  }
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
      o.invoices?.join(', ') ?? (o.code ? t(o.code, o.params) : (o.reason ?? '')),
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
  const { t, language } = words();
  const s = r.summary;
  process.stdout.write(
    [
      t('cli.report.fec.file', {
        file: r.file,
        separator: t(`cli.report.fec.${r.separator === 'tab' ? 'tab' : 'pipe'}`),
        lines: t('cli.report.fec.lines', { count: s.lines }),
        customer: s.customerLines,
        other: s.otherAccountLines,
      }),
      t('cli.report.fec.settled', {
        groups: t('cli.report.fec.groups', { count: s.settledGroups }),
        amount: money(s.settledAmount, 'EUR', locale),
      }),
      t('cli.report.fec.customers', { created: r.customers.created, existing: r.customers.existing }),
      t('cli.report.fec.invoices', { created: r.invoices.created, existing: r.invoices.unchanged }),
      t('cli.report.fec.payments', {
        created: r.payments.created,
        existing: r.payments.unchanged,
        creditCreated: r.creditNotes.created,
        creditExisting: r.creditNotes.unchanged,
      }),
      ...(s.partlyLettered > 0 ? [t('cli.report.fec.partly', { count: s.partlyLettered })] : []),
      ...(s.unletteredCredits > 0 ? [t('cli.report.fec.unlettered', { count: s.unletteredCredits })] : []),
      ...(r.dryRun ? [t('cli.report.dryRun')] : []),
    ].join('\n') + '\n',
  );
  for (const issue of r.issues.slice(0, 50))
    process.stderr.write(`  ${t('cli.report.fec.leftOut', { issue: describeFieldIssue(issue, language) })}\n`);
}
