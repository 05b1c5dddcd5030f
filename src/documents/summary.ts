import { contextAddress, formatDateText, moneyText } from '../communications/format.ts';
import { daysBetween, type IsoDate } from '../domain/calendar.ts';
import { companyLanguage, type Language } from '../domain/ledger.ts';
import { getCompany } from '../storage/companies.ts';
import type { Db } from '../storage/database.ts';
import { loadPolicies } from '../dunning/load-inputs.ts';
import { listReminderSummary } from '../storage/documents.ts';
import { finish, line, newPdf } from './pdf-document.ts';
import { LEFT, PageFrame, TOP, title } from './page-frame.ts';
import { drawTable } from './table.ts';
import { textsFor } from './texts.ts';

// Proportions of the spare width; the columns are sized from their content first (drawTable).
const LEADING = [0.11, 0.08, 0.22, 0.1, 0.08];
const STEP = 0.08;
const LATE = 0.06;

/**
 * The "PDF synthèse" French dunning tools print: per invoice reminded, its amount, due date and the date each reminder
 * level was sent, with its lateness as of `date`. In the company's language.
 */
export async function summaryPdf(
  db: Db,
  companyId: string,
  options: { date: IsoDate; customerCode?: string; language?: Language },
): Promise<{ pdf: Buffer; invoices: number }> {
  const company = await getCompany(db, companyId);
  const language: Language = options.language ?? companyLanguage(company);
  const t = textsFor(language);
  const rows = await listReminderSummary(db, companyId, { customerCode: options.customerCode });
  // Each level's column bears the name of the default policy's step at that level ("Prérelance", "1ère relance"…),
  // and later levels (a customer's own, longer policy) share one column only when some invoice reached one.
  const steps = (await loadPolicies(db, companyId)).fallback.steps.map((s) => s.label);
  const hasLater = rows.some((r) => r.reminders.some((x) => x.level > steps.length));
  const date = (d: IsoDate) => formatDateText(d, language);
  const month = new Intl.DateTimeFormat(language === 'fr' ? 'fr-FR' : 'en-GB', {
    month: 'short',
    year: 'numeric',
    timeZone: 'UTC',
  });
  const sender = {
    legalName: company.legalName,
    siren: company.siren,
    vatNumber: company.vatNumber,
    address: contextAddress(company.address, company.address.country, language),
  };
  const doc = newPdf({ title: `${t.summary} ${options.date}`, date: options.date, language });
  // Landscape: ten columns of dates and amounts need the width.
  const frame = new PageFrame(doc, sender, language, t.summary, 'landscape');
  frame.first();
  let y = title(doc, `${t.summary} — ${company.legalName}`, TOP - 8, frame.right);
  line(doc, t.statementAt(date(options.date)), LEFT, y, { size: 9 });
  y += 18;
  const table = rows.map((r) => {
    const levels = (n: number) => r.reminders.find((x) => x.level === n);
    const later = r.reminders.filter((x) => x.level > steps.length);
    const open = r.status === 'issued' && r.allocated < r.total;
    return [
      r.number,
      month.format(new Date(`${r.issueDate}T00:00:00Z`)),
      `${r.customerCode} ${r.customerName}`,
      moneyText(r.total, r.currency, language).text,
      date(r.dueDate),
      ...steps.map((_, i) => (levels(i + 1) ? date(levels(i + 1)!.sentOn) : '')),
      ...(hasLater ? [later.map((x) => date(x.sentOn)).join(', ')] : []),
      open ? t.days(Math.max(0, daysBetween(r.dueDate, options.date))) : '—',
    ];
  });
  const [invoice, monthHeader, customer, amount, due, laterHeader, late] = t.summaryColumns;
  const headers: [string, number, 'left' | 'right'][] = [
    [invoice!, LEADING[0]!, 'left'],
    [monthHeader!, LEADING[1]!, 'left'],
    [customer!, LEADING[2]!, 'left'],
    [amount!, LEADING[3]!, 'right'],
    [due!, LEADING[4]!, 'left'],
    ...steps.map((label): [string, number, 'left'] => [label, STEP, 'left']),
    ...(hasLater ? [[laterHeader!, 0.11, 'left'] as [string, number, 'left']] : []),
    [late!, LATE, 'right'],
  ];
  const weights = headers.reduce((sum, [, w]) => sum + w, 0);
  const columns = headers.map(([header, weight, align]) => ({
    header,
    width: (frame.width * weight) / weights,
    align,
  }));
  if (table.length === 0) line(doc, t.none, LEFT, y, { size: 10 });
  else drawTable(doc, LEFT, y, columns, table, frame, { size: 7.5 });
  return { pdf: await finish(doc), invoices: rows.length };
}
