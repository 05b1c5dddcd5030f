import { isIsoDate, type IsoDate } from '../domain/calendar.ts';
import { parseEcbMroCsv, percentToBp } from '../domain/late-payment/ecb-csv.ts';
import { lawOfCountry, type Law } from '../domain/late-payment/law.ts';
import { SERIES_INFO, SERIES_KEYS, type SeriesKey } from '../domain/late-payment/rate-data.ts';
import { formatRate, missingRates, rateBook, type MissingRate } from '../domain/late-payment/rates.ts';
import { AppError } from '../shared/errors.ts';
import type { Language } from '../domain/ledger.ts';
import { translator } from '../i18n/index.ts';
import { recordAudit } from '../storage/audit.ts';
import type { Db } from '../storage/database.ts';
import { lawFacts, listCompanyRates, saveCompanyRate } from '../storage/rates.ts';
import { inTransaction } from '../storage/transactions.ts';

export type Actor = { userId: string | null; actor: string };

export type RateRow = { from: IsoDate; rate: string; source: string; verified: boolean; origin: 'shipped' | 'company' };
export type SeriesRates = {
  series: SeriesKey;
  fr: string;
  en: string;
  where: string;
  knownThrough: IsoDate;
  values: RateRow[];
};

/**
 * Every series with its values, shipped and the company's, newest last; a company value says so. A shipped value's
 * source is said in the reader's language; the company's in the words it was entered with.
 */
export async function listRates(db: Db, companyId: string, language: Language = 'fr'): Promise<SeriesRates[]> {
  const book = rateBook(await listCompanyRates(db, companyId));
  const t = translator(language);
  return SERIES_KEYS.map((key) => {
    const series = book.series[key];
    return {
      series: key,
      ...SERIES_INFO[key],
      knownThrough: series.knownThrough,
      values: series.values.map((v) => ({
        from: v.from,
        rate: formatRate(v.bp),
        source: v.cite ? t(v.cite.key, v.cite.params) : v.source,
        verified: v.verified,
        origin: v.origin,
      })),
    };
  });
}

export function parseSeries(text: string): SeriesKey {
  const key = text.trim().toLowerCase().replace(/-/g, '_');
  if ((SERIES_KEYS as readonly string[]).includes(key)) return key as SeriesKey;
  throw new AppError(
    'invalid_input',
    `"${text}" is not a rate series (use ${SERIES_KEYS.map((k) => k.replace(/_/g, '-')).join(', ')})`,
    [
      {
        field: 'series',
        value: text,
        reason: 'unknown series',
        code: 'reason.unknownSeries',
        params: { list: SERIES_KEYS.map((k) => k.replace(/_/g, '-')).join(', ') },
      },
    ],
    {
      key: 'problem.rates.unknownSeries',
      params: { value: text, list: SERIES_KEYS.map((k) => k.replace(/_/g, '-')).join(', ') },
    },
  );
}

export type RateInput = { series: string; from: string; rate: string; source: string };

function checked(input: RateInput): { series: SeriesKey; from: IsoDate; bp: number; source: string } {
  const series = parseSeries(input.series);
  if (!isIsoDate(input.from)) {
    throw new AppError(
      'invalid_input',
      `"${input.from}" is not a date YYYY-MM-DD`,
      [{ field: 'from', value: input.from, reason: 'not a date', code: 'reason.notDate' }],
      { key: 'problem.rates.notDate', params: { value: input.from } },
    );
  }
  if (SERIES_INFO[series].perHalfYear && !/-(01|07)-01$/.test(input.from)) {
    throw new AppError(
      'invalid_input',
      `the French legal rate is set per half-year: its date is 1 January or 1 July, not ${input.from}`,
      [{ field: 'from', value: input.from, reason: 'not the first day of a half-year', code: 'reason.notHalfYear' }],
      { key: 'problem.rates.halfYear', params: { date: input.from } },
    );
  }
  const bp = percentToBp(input.rate);
  if (bp === null || bp < -500 || bp > 5000) {
    throw new AppError(
      'invalid_input',
      `"${input.rate}" is not a rate in percent such as 2.40`,
      [{ field: 'rate', value: input.rate, reason: 'not a percentage', code: 'reason.notPercentage' }],
      { key: 'problem.rates.notRate', params: { value: input.rate } },
    );
  }
  const source = input.source.trim();
  if (source.length < 3) {
    throw new AppError(
      'invalid_input',
      'say where the rate is published (source), e.g. "ECB press release of 11 June 2026"',
      [{ field: 'source', reason: 'required', code: 'problem.validation.required' }],
      { key: 'problem.rates.source' },
    );
  }
  return { series, from: input.from, bp, source };
}

/** Records one value a company enters, with its source; it overrides the shipped value of that series and date. */
export async function setRate(db: Db, companyId: string, input: RateInput, actor: Actor): Promise<void> {
  const rate = checked(input);
  await inTransaction(db, async (trx) => {
    await saveCompanyRate(trx, companyId, rate, actor.actor);
    // Plans cache their next-action dates; the charges change with the rate, so the invoices are looked at again.
    await trx
      .updateTable('invoices')
      .set({ next_action_date: null })
      .where('company_id', '=', companyId)
      .where('next_action_date', 'is not', null)
      .execute();
    await recordAudit(trx, companyId, {
      ...actor,
      action: 'rate.set',
      target: rate.series,
      details: { from: rate.from, rate: formatRate(rate.bp), source: rate.source },
    });
  });
}

/**
 * Reads the ECB Data Portal's CSV export of the MRO series: each change not already held (or held with another
 * value) is recorded as the company's, and the rate in force on `asOf` (the day of the export, today by default)
 * is recorded on that day, so the series counts as known up to it. All or nothing.
 */
export async function importEcbRates(
  db: Db,
  companyId: string,
  text: string,
  options: { asOf: IsoDate; fileName: string; language?: Language },
  actor: Actor,
): Promise<{ added: { from: IsoDate; rate: string }[]; knownThrough: IsoDate }> {
  const values = parseEcbMroCsv(text);
  const book = rateBook(await listCompanyRates(db, companyId));
  // Stored as words, like a value entered by hand: in the language of whoever imported the file.
  const t = translator(options.language ?? 'fr');
  const source = t('rates.source.ecbImport', { file: options.fileName, date: options.asOf });
  const added: { from: IsoDate; bp: number; source: string }[] = [];
  for (const value of values) {
    if (value.from > options.asOf) continue;
    const held = book.series.ecb_mro.values.find((v) => v.from === value.from);
    if (held?.bp !== value.bp) added.push({ ...value, source });
  }
  const last = values.filter((v) => v.from <= options.asOf).at(-1);
  const knownThrough = book.series.ecb_mro.knownThrough;
  if (last && options.asOf > knownThrough && !added.some((a) => a.from === options.asOf)) {
    added.push({ from: options.asOf, bp: last.bp, source: t('rates.source.unchanged', { source, since: last.from }) });
  }
  await inTransaction(db, async (trx) => {
    for (const value of added) await saveCompanyRate(trx, companyId, { series: 'ecb_mro', ...value }, actor.actor);
    if (added.length > 0) {
      await trx
        .updateTable('invoices')
        .set({ next_action_date: null })
        .where('company_id', '=', companyId)
        .where('next_action_date', 'is not', null)
        .execute();
    }
    await recordAudit(trx, companyId, {
      ...actor,
      action: 'rate.import',
      target: 'ecb_mro',
      details: { file: options.fileName, added: added.length },
    });
  });
  return {
    added: added.map((a) => ({ from: a.from, rate: formatRate(a.bp) })),
    knownThrough: options.asOf > knownThrough && last ? options.asOf : knownThrough,
  };
}

/** The series each law's charges read: the French legal rate for consumers and for the floor of a contract rate. */
const SERIES_OF: Record<Law, SeriesKey[]> = {
  FR: ['ecb_mro', 'fr_legal_professional'],
  DE: ['ecb_mro'],
  GB: ['boe_bank_rate'],
  EU: ['ecb_mro'],
};

/**
 * The rates to enter on `date` for the laws the company's invoices fall under (its own country's, its customers'
 * "loi applicable", its consumers' countries): those of the current half-year, and from 30 days before the next one.
 */
export async function missingRatesFor(db: Db, companyId: string, date: IsoDate): Promise<MissingRate[]> {
  const facts = await lawFacts(db, companyId);
  const laws = new Set<Law>([lawOfCountry(facts.sellerCountry)]);
  for (const law of facts.customerLaws) laws.add(law as Law);
  for (const country of facts.customerCountries) {
    const law = lawOfCountry(country);
    if (law !== 'EU') laws.add(law);
  }
  const keys = SERIES_KEYS.filter((k) => [...laws].some((law) => SERIES_OF[law].includes(k)));
  return missingRates(rateBook(await listCompanyRates(db, companyId)), date, keys);
}

/** "Enter the ECB main refinancing rate in force on 2027-01-01 (published at …): relance rates set ecb-mro …". */
export function describeMissingRate(missing: MissingRate, language: 'fr' | 'en'): string {
  const command = `relance rates set ${missing.series.replace(/_/g, '-')} --from ${missing.date} --rate R --source S`;
  const t = translator(language);
  const [year, half] = missing.halfYear.split('H');
  return t('cli.missingRate', {
    half: t(half === '2' ? 'cli.halfYear.second' : 'cli.halfYear.first', { year }),
    name: language === 'fr' ? missing.fr : missing.en,
    date: missing.date,
    where: missing.where,
    command,
  });
}
