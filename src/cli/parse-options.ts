import { InvalidArgumentError } from 'commander';
import { parseDate, type IsoDate } from '../domain/calendar.ts';

export function dateOption(value: string): IsoDate {
  const result = parseDate(value);
  if (!result.ok) throw new InvalidArgumentError(result.reason);
  return result.value;
}

export function countOption(value: string): number {
  if (!/^\d+$/.test(value)) throw new InvalidArgumentError(`"${value}" is not a whole number`);
  return Number(value);
}
