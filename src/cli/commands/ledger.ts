import { Command } from 'commander';
import { todayIn } from '../../domain/calendar.ts';
import { formatAmount } from '../../domain/money.ts';
import { formatIsoDate } from '../../i18n/format-date.ts';
import { cliActor, withStore } from '../context.ts';
import { words } from '../words.ts';
import { countOption, dateOption } from '../parse-options.ts';
import { money, moneyByCurrency, printJson, table } from '../format.ts';

// The use cases (and the storage under them) are loaded by the action that runs them, so that a usage error
// or --help does not pay for them.

export function customersCommand(): Command {
  const customers = new Command('customers').description('the customers of the company');
  customers
    .command('list')
    .description('list customers with their primary e-mail, open invoices and balance')
    .option('--search <text>', 'part of the name or code')
    .option('--sales-rep <name>', 'only the customers of this sales rep')
    .option('--limit <n>', 'at most this many', countOption, 1000)
    .option('--json', 'print JSON')
    .action(
      async (options: { search?: string; salesRep?: string; limit: number; json?: boolean }, command: Command) => {
        await withStore(command, async (store, company) => {
          const { listVisibleCustomers } = await import('../../customers/view-customers.ts');
          const { items: rows } = await listVisibleCustomers(store.db, cliActor(company), options);
          if (options.json) {
            printJson(rows.map((c) => ({ ...c, balance: formatAmount(c.balance, company.currency) })));
            return;
          }
          const { t, locale } = words();
          const h = (key: string) => t(`cli.table.${key}`);
          process.stdout.write(
            `${table(
              ['code', 'name', 'kind', 'email', 'city', 'open', 'balance'].map(h),
              rows.map((c) => [
                c.code,
                c.name,
                t(`enums.customerKind.${c.kind}`),
                c.email ?? '',
                c.address.city ?? '',
                String(c.openInvoices),
                money(c.balance, company.currency, locale),
              ]),
              [5, 6],
            )}\n${t('cli.customersCount', { count: rows.length })}\n`,
          );
        });
      },
    );
  return customers;
}

export function invoicesCommand(): Command {
  const invoices = new Command('invoices').description('the invoices of the company');
  invoices
    .command('list')
    .description('list invoices with their balance and days overdue')
    .option('--open', 'only invoices with a balance left to pay')
    .option('--customer <code>', "only this customer's invoices")
    .option('--sales-rep <name>', "only this sales rep's invoices")
    .option('--date <date>', "count lateness at this date (default: today in the company's time zone)", dateOption)
    .option('--limit <n>', 'at most this many', countOption, 10_000)
    .option('--json', 'print JSON')
    .action(
      async (
        options: { open?: boolean; customer?: string; salesRep?: string; date?: string; limit: number; json?: boolean },
        command: Command,
      ) => {
        await withStore(command, async (store, company) => {
          const { listInvoicePage } = await import('../../invoices/list-invoices.ts');
          const asOf = options.date ?? todayIn(company.timeZone);
          const page = await listInvoicePage(
            store.db,
            cliActor(company),
            { open: options.open, customerCode: options.customer, salesRep: options.salesRep, asOf },
            { limit: options.limit, sort: 'number' },
          );
          const rows = page.slice(0, options.limit);
          if (options.json) {
            printJson(
              rows.map((i) => ({
                number: i.number,
                customer: i.customerCode,
                customerName: i.customerName,
                issueDate: i.issueDate,
                dueDate: i.dueDate,
                currency: i.currency,
                totalExclTax: i.totalExclTax === null ? null : formatAmount(i.totalExclTax, i.currency),
                total: formatAmount(i.total, i.currency),
                paid: formatAmount(i.allocated, i.currency),
                balance: formatAmount(i.balance, i.currency),
                daysOverdue: i.daysOverdue,
                status: i.status,
                disputed: i.disputed,
                disputeReason: i.disputeReason,
                promiseToPayDate: i.promiseToPayDate,
                title: i.title,
                salesRep: i.salesRep,
              })),
            );
            return;
          }
          const { t, locale } = words();
          const h = (key: string) => t(`cli.table.${key}`);
          const day = (date: string) => (locale === 'fr' ? formatIsoDate(date, 'fr') : date);
          process.stdout.write(
            `${table(
              ['number', 'customer', 'issued', 'due', 'total', 'balance', 'late', 'note'].map(h),
              rows.map((i) => [
                i.number,
                i.customerCode,
                day(i.issueDate),
                day(i.dueDate),
                money(i.total, i.currency, locale),
                money(i.balance, i.currency, locale),
                i.daysOverdue > 0 ? String(i.daysOverdue) : '',
                i.status === 'cancelled'
                  ? t('cli.note.cancelled')
                  : i.disputed
                    ? t('cli.note.disputed')
                    : i.promiseToPayDate
                      ? t('cli.note.promised', { date: day(i.promiseToPayDate) })
                      : '',
              ]),
              [4, 5, 6],
            )}\n${t('cli.invoicesFooter', { count: rows.length, balance: moneyByCurrency(rows, locale, company.currency), date: day(asOf) })}\n`,
          );
        });
      },
    );
  return invoices;
}
