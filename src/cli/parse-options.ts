import { InvalidArgumentError } from 'commander';
import { parseDate, type IsoDate } from '../domain/calendar.ts';
import { AppError } from '../shared/errors.ts';
import type { ParseFailure } from '../domain/money.ts';
import { words } from './words.ts';

/** A parse failure as commander shows it after the option, in the reader's language. */
export function optionReason(failure: ParseFailure): string {
  const { t } = words();
  return failure.code ? t(failure.code, failure.params) : failure.reason;
}

export function dateOption(value: string): IsoDate {
  const result = parseDate(value);
  if (!result.ok) throw new InvalidArgumentError(optionReason(result));
  return result.value;
}

export function countOption(value: string): number {
  if (!/^\d+$/.test(value)) throw new InvalidArgumentError(words().t('cli.report.arg.count', { value }));
  return Number(value);
}

/** A date given to an option, refused as a usage error naming the option ("--date : « 31-02 » n'est pas une date"). */
export function dateValue(value: string, option: string): IsoDate {
  const parsed = parseDate(value);
  if (!parsed.ok)
    throw new AppError('usage', `${option}: ${parsed.reason}.`, [], {
      key: 'problem.option',
      params: { option, why: parsed.code ?? 'problem.asWritten', text: parsed.reason, ...parsed.params },
    });
  return parsed.value;
}

/** Addresses given one by one or separated by commas, semicolons or spaces. */
export function addressList(value: string, previous: string[] = []): string[] {
  return [...previous, ...value.split(/[;,\s]+/).filter(Boolean)];
}
