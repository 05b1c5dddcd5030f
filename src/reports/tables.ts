import type { Column, ReportDocument, ReportTable } from '../exports/table.ts';
import { formatYearMonth } from '../i18n/format-date.ts';
import type { AgedBalance } from './aging.ts';
import { bucketLabel } from './buckets.ts';
import type { Kpis } from './kpis.ts';
import type { RemindersRegister } from './register.ts';

type Language = 'fr' | 'en';
const T = {
  fr: {
    aging: 'Balance âgée',
    register: 'Relances envoyées',
    kpis: 'Indicateurs de recouvrement',
    code: 'Code client',
    customer: 'Client',
    rep: 'Représentant',
    currency: 'Devise',
    total: 'Total',
    count: 'Nb factures',
    n: 'nb',
    invoice: 'N° facture',
    issued: 'Date facture',
    amount: 'Montant TTC',
    balance: 'Solde',
    due: 'Échéance',
    late: 'Jours de retard',
    level: 'Niveau',
    label: 'Libellé',
    sent: 'Envoyées',
    paid: 'Payées sous 15 j',
    share: 'Taux',
    month: 'Mois',
    asOf: 'Au',
    overdueCount: 'Factures en retard',
    overdue: 'Montant en retard',
    dso: 'DSO (méthode count-back)',
    dsoDays: 'DSO (jours)',
    receivables: 'Encours clients',
    from: 'Du',
    to: 'Au',
    days: 'Jours',
    sales: 'Ventes TTC',
    counted: 'Jours comptés',
    trend: 'Retards par mois',
    levels: 'Efficacité des niveaux',
    totalOf: (c: string) => `Total ${c}`,
  },
  en: {
    aging: 'Aged balance',
    register: 'Reminders sent',
    kpis: 'Collection KPIs',
    code: 'Customer code',
    customer: 'Customer',
    rep: 'Sales rep',
    currency: 'Curr.',
    total: 'Total',
    count: 'Invoices',
    n: 'no.',
    invoice: 'Invoice',
    issued: 'Issued',
    amount: 'Amount incl. tax',
    balance: 'Balance',
    due: 'Due date',
    late: 'Days overdue',
    level: 'Level',
    label: 'Label',
    sent: 'Sent',
    paid: 'Paid within 15 days',
    share: 'Share',
    month: 'Month',
    asOf: 'As of',
    overdueCount: 'Overdue invoices',
    overdue: 'Overdue amount',
    dso: 'DSO (count-back method)',
    dsoDays: 'DSO (days)',
    receivables: 'Receivables',
    from: 'From',
    to: 'To',
    days: 'Days',
    sales: 'Sales incl. tax',
    counted: 'Days counted',
    trend: 'Overdue by month',
    levels: 'Effectiveness of each level',
    totalOf: (c: string) => `Total ${c}`,
  },
};

export const reportTitle = (kind: 'aging' | 'register' | 'kpis', language: Language) => T[language][kind];

export function agingDocument(report: AgedBalance, language: Language): ReportDocument {
  const t = T[language];
  const columns: Column[] = [
    { header: t.code, kind: 'text', weight: 0.8 },
    { header: t.customer, kind: 'text', weight: 2 },
    { header: t.rep, kind: 'text', weight: 1.2 },
    { header: t.currency, kind: 'text', weight: 0.65 },
    ...report.buckets.flatMap((b): Column[] => [
      { header: bucketLabel(b, language), kind: 'money', weight: 1.1 },
      { header: t.n, kind: 'count', weight: 0.45 },
    ]),
    { header: t.total, kind: 'money', weight: 1.2 },
    { header: t.count, kind: 'count', weight: 0.75 },
  ];
  const cells = (currency: string, buckets: { count: number; balance: number }[], balance: number, count: number) => [
    ...buckets.flatMap((b) => [{ cents: b.balance, currency }, b.count]),
    { cents: balance, currency },
    count,
  ];
  const rows = report.rows.map((r) => [
    r.customerCode,
    r.customerName,
    r.salesRep,
    r.currency,
    ...cells(r.currency, r.buckets, r.balance, r.count),
  ]);
  const totals = report.totals.map((s) => [
    null,
    t.totalOf(s.currency),
    null,
    s.currency,
    ...cells(s.currency, s.buckets, s.balance, s.count),
  ]);
  return {
    title: t.aging,
    date: report.date,
    language,
    tables: [{ title: t.aging, columns, rows: [...rows, ...totals], totalRows: totals.length }],
  };
}

export function registerDocument(report: RemindersRegister, language: Language): ReportDocument {
  const t = T[language];
  const columns: Column[] = [
    { header: t.invoice, kind: 'text', weight: 0.9 },
    { header: t.issued, kind: 'date', weight: 0.8 },
    { header: t.code, kind: 'text', weight: 0.7 },
    { header: t.customer, kind: 'text', weight: 1.8 },
    { header: t.amount, kind: 'money' },
    { header: t.balance, kind: 'money' },
    { header: t.due, kind: 'date', weight: 0.8 },
    ...report.levels.map((l): Column => ({ header: l.label, kind: 'date', weight: 0.8 })),
    { header: t.late, kind: 'count', weight: 0.6 },
  ];
  const rows = report.rows.map((r) => [
    r.number,
    r.issueDate,
    r.customerCode,
    r.customerName,
    { cents: r.total, currency: r.currency },
    { cents: r.balance, currency: r.currency },
    r.dueDate,
    ...report.levels.map((l) => r.reminders.find((x) => x.level === l.level)?.sentOn ?? null),
    r.daysOverdue,
  ]);
  return { title: t.register, date: report.date, language, tables: [{ title: t.register, columns, rows }] };
}

export function kpisDocument(kpis: Kpis, language: Language): ReportDocument {
  const t = T[language];
  const money = (cents: number) => ({ cents, currency: kpis.currency });
  const dso: ReportTable = {
    title: t.dso,
    columns: [
      { header: t.from, kind: 'date' },
      { header: t.to, kind: 'date' },
      { header: t.days, kind: 'count' },
      { header: t.sales, kind: 'money' },
      { header: t.counted, kind: 'number' },
    ],
    rows: [
      ...kpis.dso.periods.map((p) => [p.from, p.to, p.days, money(p.sales), p.counted]),
      [t.receivables, null, null, money(kpis.dso.receivables), null],
      [t.dsoDays, null, null, null, kpis.dso.days],
    ],
    totalRows: 1,
  };
  const trend: ReportTable = {
    title: t.trend,
    columns: [
      { header: t.month, kind: 'text' },
      { header: t.asOf, kind: 'date' },
      { header: t.overdueCount, kind: 'count' },
      { header: t.overdue, kind: 'money' },
    ],
    rows: kpis.overdueTrend.map((p) => [formatYearMonth(p.month, language), p.asOf, p.count, money(p.balance)]),
  };
  const levels: ReportTable = {
    title: t.levels,
    columns: [
      { header: t.level, kind: 'count' },
      { header: t.label, kind: 'text', weight: 2 },
      { header: t.sent, kind: 'count' },
      { header: t.paid, kind: 'count' },
      { header: t.share, kind: 'percent' },
    ],
    rows: kpis.levels.map((l) => [l.level, l.label, l.sent, l.paidWithin15Days, l.share]),
  };
  return { title: t.kpis, date: kpis.date, language, tables: [dso, trend, levels] };
}
