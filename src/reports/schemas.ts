import { z } from 'zod';

/**
 * The reports as the API returns them (and `--json` prints them). Amounts are integer cents of the row's
 * currency; amounts of different currencies are never added. Made for charts: `buckets[k]` of a row or a
 * total is the column `buckets[k]` of the report.
 */
const IsoDate = z.iso.date();
const Cents = z.number().int().describe('integer cents of the currency');

export const AgingBucketSchema = z.object({
  key: z.string().describe('"notDue", then "1-30", "31-60", "61-90", "91+" with the default bounds'),
  fromDays: z.number().int().nullable().describe('least days overdue in the column (null: not yet due, days ≤ 0)'),
  toDays: z.number().int().nullable().describe('most days overdue in the column (null: no end)'),
});
const AgingCellSchema = z.object({ count: z.number().int(), balance: Cents });

export const AgedBalanceSchema = z
  .object({
    date: IsoDate.describe('as-of date: payments and credit notes dated after it are ignored'),
    buckets: z.array(AgingBucketSchema),
    rows: z
      .array(
        z.object({
          customerId: z.string(),
          customerCode: z.string(),
          customerName: z.string(),
          salesRep: z.string().nullable(),
          currency: z.string(),
          count: z.number().int().describe('invoices with a balance on the date'),
          balance: Cents,
          buckets: z.array(AgingCellSchema).describe('one cell per column of `buckets`, in the same order'),
        }),
      )
      .describe('one row per customer and currency, largest balance first'),
    totals: z
      .array(
        z.object({ currency: z.string(), count: z.number().int(), balance: Cents, buckets: z.array(AgingCellSchema) }),
      )
      .describe('one total per currency: what an aging chart draws'),
  })
  .meta({ id: 'AgedBalance', description: 'Aged balance (balance âgée) on a date' });

export const RemindersRegisterSchema = z
  .object({
    date: IsoDate,
    levels: z
      .array(z.object({ level: z.number().int(), label: z.string() }))
      .describe('levels present, one column each'),
    rows: z.array(
      z.object({
        invoiceId: z.string(),
        number: z.string(),
        issueDate: IsoDate,
        dueDate: IsoDate,
        customerCode: z.string(),
        customerName: z.string(),
        salesRep: z.string().nullable(),
        currency: z.string(),
        total: Cents,
        balance: Cents.describe('balance on the date'),
        daysOverdue: z.number().int().describe('date − due date'),
        reminders: z.array(
          z.object({ level: z.number().int(), label: z.string(), sentOn: IsoDate, channel: z.string() }),
        ),
      }),
    ),
  })
  .meta({ id: 'RemindersRegister', description: 'Reminders sent (Relances envoyées) up to a date' });

export const KpisSchema = z
  .object({
    date: IsoDate,
    currency: z.string(),
    dso: z.object({
      days: z.number().nullable().describe('days sales outstanding by the count-back method'),
      receivables: Cents.describe('every balance on the date, due or not'),
      periods: z
        .array(z.object({ from: IsoDate, to: IsoDate, days: z.number().int(), sales: Cents, counted: z.number() }))
        .describe('months walked back from the date, with the days each contributed'),
      exhausted: z.boolean().describe('24 months of sales did not cover the receivables'),
    }),
    overdueTrend: z
      .array(z.object({ month: z.string(), asOf: IsoDate, count: z.number().int(), balance: Cents }))
      .describe('overdue invoices and amount at each month end (the current month on the date), oldest first'),
    levels: z
      .array(
        z.object({
          level: z.number().int(),
          label: z.string(),
          sent: z.number().int(),
          paidWithin15Days: z.number().int(),
          share: z.number().nullable().describe('paidWithin15Days ÷ sent, 0 to 1'),
        }),
      )
      .describe('reminders sent in the period at least 15 days before the date, per level'),
  })
  .meta({ id: 'CollectionKpis', description: 'DSO, overdue trend and effectiveness of each reminder level' });
