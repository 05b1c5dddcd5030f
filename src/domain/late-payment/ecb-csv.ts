import { AppError, type FieldIssue } from '../../shared/errors.ts';
import { isIsoDate, type IsoDate } from '../calendar.ts';

/** The ECB Data Portal's key of the main refinancing operations series (fixed rate, by date of change). */
export const ECB_MRO_SERIES_KEY = 'FM.B.U2.EUR.4F.KR.MRR_FR.LEV';

/** "2.4" → 240, "-0.875" refused: rates are kept to the hundredth of a point. */
export function percentToBp(text: string): number | null {
  const match = /^(-?)(\d{1,3})(?:[.,](\d{1,4}))?$/.exec(text.trim());
  if (!match) return null;
  const fraction = (match[3] ?? '').padEnd(4, '0');
  if (fraction.slice(2) !== '00') return null;
  const bp = Number(match[2]) * 100 + Number(fraction.slice(0, 2));
  return match[1] === '-' ? -bp : bp;
}

/** One CSV line's quoted fields (the export quotes every field, with "" for a quote inside one). */
function fields(line: string): string[] {
  const out: string[] = [];
  let i = 0;
  while (i <= line.length) {
    if (line[i] === '"') {
      let value = '';
      i++;
      while (i < line.length) {
        if (line[i] === '"' && line[i + 1] === '"') {
          value += '"';
          i += 2;
        } else if (line[i] === '"') {
          i++;
          break;
        } else value += line[i++];
      }
      out.push(value);
      i++; // the comma
    } else {
      const comma = line.indexOf(',', i);
      const end = comma < 0 ? line.length : comma;
      out.push(line.slice(i, end));
      i = end + 1;
    }
  }
  return out;
}

/**
 * The values of the ECB Data Portal's CSV export of the MRO series (the "Download → CSV" of the series page):
 * a header `"DATE","TIME PERIOD","<title> (FM.B.U2.EUR.4F.KR.MRR_FR.LEV)"`, then one line per change,
 * `"2026-06-17","17 Jun 2026","2.4"`. Another series, or a line that does not read, refuses the whole file with
 * every bad line named.
 */
export function parseEcbMroCsv(text: string): { from: IsoDate; bp: number }[] {
  const lines = text
    .replace(/^\uFEFF/, '')
    .split(/\r?\n/)
    .map((l) => l.trim());
  const header = fields(lines[0] ?? '');
  if (header[0]?.toUpperCase() !== 'DATE' || header.length < 3) {
    throw new AppError(
      'invalid_input',
      'not an ECB Data Portal CSV export: the first line should be "DATE","TIME PERIOD","<series>"',
      [],
      { key: 'problem.ecb.notExport' },
    );
  }
  if (!header[2]!.includes(ECB_MRO_SERIES_KEY)) {
    throw new AppError(
      'invalid_input',
      `the file holds the series "${header[2]}", not the main refinancing rate (${ECB_MRO_SERIES_KEY})`,
      [],
      { key: 'problem.ecb.wrongSeries', params: { series: header[2] ?? '', expected: ECB_MRO_SERIES_KEY } },
    );
  }
  const issues: FieldIssue[] = [];
  const values = new Map<IsoDate, number>();
  lines.forEach((line, index) => {
    if (index === 0 || line === '') return;
    const [date, , value] = fields(line);
    if (date === undefined || !isIsoDate(date)) {
      issues.push({
        line: index + 1,
        field: 'DATE',
        value: date,
        reason: 'is not a date YYYY-MM-DD',
        code: 'reason.notIsoDate',
      });
      return;
    }
    const bp = value === undefined ? null : percentToBp(value);
    if (bp === null) {
      issues.push({
        line: index + 1,
        field: 'value',
        value,
        reason: 'is not a rate in percent such as 2.40',
        code: 'reason.notRate',
      });
      return;
    }
    values.set(date, bp);
  });
  if (issues.length > 0) {
    throw new AppError(
      'invalid_input',
      `${issues.length} ${issues.length === 1 ? 'line' : 'lines'} of the ECB file do not read; nothing was imported`,
      issues,
      { key: 'problem.ecb.badLines', params: { count: issues.length } },
    );
  }
  if (values.size === 0)
    throw new AppError('invalid_input', 'the ECB file holds no value', [], { key: 'problem.ecb.empty' });
  return [...values].map(([from, bp]) => ({ from, bp })).sort((a, b) => (a.from < b.from ? -1 : 1));
}
