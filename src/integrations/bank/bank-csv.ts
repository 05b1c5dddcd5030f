import { AppError, type FieldIssue } from '../../shared/errors.ts';
import { parseDate } from '../../domain/calendar.ts';
import { isCurrencyCode, parseAmount } from '../../domain/money.ts';
import { decodeCsv, scanCsv } from '../../import/csv-source.ts';
import { headerKey } from '../../import/header-aliases.ts';
import { lineKey, type BankLine } from './camt053.ts';

/** The names French and English bank exports give each column, in headerKey form (accents, case, punctuation aside). */
const COLUMNS = {
  date: [
    'date',
    'date_operation',
    'date_de_l_operation',
    'date_d_operation',
    'date_comptable',
    'booking_date',
    'date_de_comptabilisation',
    'date_valeur',
    'date_de_valeur',
    'value_date',
    'dateop',
    'settlement_date_utc',
    'operation_date',
  ],
  label: [
    'libelle',
    'label',
    'description',
    'libelle_operation',
    'libelle_de_l_operation',
    'libelle_court',
    'motif',
    'libelle_simplifie',
  ],
  detail: ['detail', 'details', 'detail_de_l_ecriture', 'informations_complementaires', 'complement'],
  amount: [
    'montant',
    'amount',
    'montant_eur',
    'montant_euros',
    'montant_operation',
    'montant_de_l_operation',
    'montant_operation_en_euro',
    'montant_en_euros',
    'total_amount_incl_vat',
  ],
  credit: ['credit', 'credit_eur', 'credits', 'credit_euros', 'credit_en_euros', 'montant_credit'],
  debit: ['debit', 'debit_eur', 'debits', 'debit_euros', 'debit_en_euros', 'montant_debit'],
  counterparty: [
    'tiers',
    'contrepartie',
    'counterparty',
    'counterparty_name',
    'nom',
    'emetteur',
    'donneur_d_ordre',
    'payer',
  ],
  reference: [
    'reference',
    'ref',
    'remittance',
    'reference_de_bout_en_bout',
    'end_to_end_id',
    'numero_d_operation',
    'reference_operation',
  ],
  currency: ['devise', 'currency'],
} as const;

type Columns = Record<keyof typeof COLUMNS, number>;

function columnsOf(headers: readonly string[]): Columns {
  const keys = headers.map(headerKey);
  const index = (names: readonly string[]) => {
    for (const name of names) {
      const at = keys.indexOf(name);
      if (at >= 0) return at;
    }
    return -1;
  };
  return Object.fromEntries(Object.entries(COLUMNS).map(([k, names]) => [k, index(names)])) as Columns;
}

const PREAMBLE_LINES = 30;

/**
 * Where the header line is: French banks put the account number, holder, period and balances on the
 * lines above it. The first of the first lines naming a date and an amount (or a credit) column is taken.
 */
function headerLineOf(text: string): number {
  const lines = text.split(/\r?\n/, PREAMBLE_LINES);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const separator = (line.match(/;/g)?.length ?? 0) >= (line.match(/,/g)?.length ?? 0) ? ';' : ',';
    const col = columnsOf(line.split(separator).map((c) => c.trim().replace(/^"|"$/g, '')));
    if (col.date >= 0 && (col.amount >= 0 || col.credit >= 0)) return i;
  }
  return 0;
}

/**
 * Reads a bank statement exported as CSV (`;` or `,`, UTF-8 or Windows-1252): a date, a label, and
 * either a signed amount or separate credit and debit columns; optional counterparty, reference and
 * currency. Every bad row is reported with its line and column; nothing is returned unless all are good,
 * unless `skipped` is given: then the bad rows are left out and their issues added there.
 */
export function readBankCsv(
  fileName: string,
  bytes: Uint8Array,
  defaultCurrency: string,
  skipped?: FieldIssue[],
): BankLine[] {
  const decoded = decodeCsv(bytes, fileName).text;
  const skip = headerLineOf(decoded);
  const text = skip === 0 ? decoded : decoded.split('\n').slice(skip).join('\n');
  const issues: FieldIssue[] = [];
  const rows: { values: string[]; line: number }[] = [];
  // Line numbers stay those of the file, preamble included, as the user's editor shows them.
  const scan = scanCsv(text, (values, line) => rows.push({ values, line: line + skip }));
  if (scan.fatal)
    issues.push({ ...scan.fatal, line: scan.fatal.line === undefined ? undefined : scan.fatal.line + skip });
  const col = columnsOf(scan.headers);
  if (col.date < 0)
    issues.push({
      line: 1,
      field: 'date',
      reason: 'no date column (Date, Date opération, Booking date…)',
      code: 'reason.noDateColumn',
    });
  if (col.amount < 0 && col.credit < 0)
    issues.push({
      line: 1,
      field: 'montant',
      reason: 'no amount column (Montant, or Crédit and Débit)',
      code: 'reason.noAmountColumn',
    });
  if (issues.length > 0)
    throw new AppError('invalid_input', `${fileName}: not a bank statement CSV: ${issues[0]!.reason}.`, issues, {
      key: 'problem.bank.notCsv',
      params: { file: fileName, reason: issues[0]!.reason },
    });
  const seen = new Map<string, number>();
  const lines: BankLine[] = [];
  const allIssues: FieldIssue[] = [];
  for (const { values, line } of rows) {
    const issues: FieldIssue[] = [];
    const cell = (i: number) => (i >= 0 ? (values[i] ?? '').trim() : '');
    const date = parseDate(cell(col.date));
    if (!date.ok)
      issues.push({ line, field: scan.headers[col.date]!, reason: date.reason, code: date.code, params: date.params });
    const currency = (cell(col.currency) || defaultCurrency).toUpperCase();
    if (!isCurrencyCode(currency))
      issues.push({
        line,
        field: scan.headers[col.currency]!,
        reason: `"${currency}" is not a currency code`,
        code: 'reason.notCurrency',
        params: { value: currency },
      });
    let amount = 0;
    const read = (i: number, sign: 1 | -1) => {
      const text = cell(i);
      if (text === '') return;
      const parsed = parseAmount(text, isCurrencyCode(currency) ? currency : 'EUR');
      if (!parsed.ok)
        issues.push({ line, field: scan.headers[i]!, reason: parsed.reason, code: parsed.code, params: parsed.params });
      // Some banks write debits as negative numbers in the Débit column, others as positive ones.
      else amount += sign * (sign === -1 ? Math.abs(parsed.value) : parsed.value);
    };
    if (col.amount >= 0) read(col.amount, 1);
    else {
      read(col.credit, 1);
      if (col.debit >= 0) read(col.debit, -1);
    }
    if (issues.length > 0) {
      allIssues.push(...issues);
      continue;
    }
    if (amount === 0 || !date.ok) continue;
    const label = cell(col.label);
    const reference = [cell(col.reference), label, cell(col.detail)].filter((t) => t !== '').join(' ') || null;
    const identity = [date.value, amount, currency, label, cell(col.reference), cell(col.counterparty)];
    const base = lineKey(identity);
    // Two identical rows are two movements: the occurrence number tells them apart, the same on re-import.
    const occurrence = (seen.get(base) ?? 0) + 1;
    seen.set(base, occurrence);
    lines.push({
      key: `csv:${base}:${occurrence}`,
      account: null,
      bookingDate: date.value,
      amount,
      currency,
      counterparty: cell(col.counterparty) || null,
      counterpartyIban: null,
      reference,
      endToEndId: cell(col.reference) || null,
      where: `line ${line}`,
    });
  }
  if (allIssues.length > 0 && skipped) skipped.push(...allIssues);
  else if (allIssues.length > 0) {
    const rows = new Set(allIssues.map((i) => i.line)).size;
    throw new AppError(
      'invalid_input',
      `${fileName}: ${rows} bad ${rows === 1 ? 'row' : 'rows'}; nothing was imported.`,
      allIssues,
      { key: 'problem.bank.badRows', params: { file: fileName, count: rows } },
    );
  }
  return lines;
}
