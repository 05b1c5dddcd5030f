import { addDays, type IsoDate } from '../domain/calendar.ts';
import { AppError } from '../shared/errors.ts';

/**
 * One column of the aged balance: invoices whose days overdue on the as-of date fall in [fromDays,
 * toDays]. "Not yet due" is days ≤ 0 (due today counts as not yet late); the last column has no end.
 */
export type AgingBucket = { key: string; fromDays: number | null; toDays: number | null };

export const DEFAULT_BOUNDS = [30, 60, 90];

/** `30,60,90` → [30, 60, 90]: whole days, strictly increasing, from 1 to 10 bounds. */
export function parseBounds(text: string): number[] {
  const parts = text.split(',').map((p) => p.trim());
  const bounds = parts.map(Number);
  if (parts.length === 0 || parts.length > 10 || parts.some((p) => !/^\d+$/.test(p))) {
    throw new AppError(
      'usage',
      `buckets "${text}" must be 1 to 10 whole numbers of days separated by commas, such as 30,60,90.`,
      [],
      { key: 'problem.buckets.format', params: { value: text } },
    );
  }
  bounds.forEach((b, i) => {
    if (b < 1 || b > 3650)
      throw new AppError('usage', `bucket bound ${b} must be between 1 and 3650 days.`, [], {
        key: 'problem.buckets.range',
        params: { bound: b },
      });
    if (i > 0 && b <= bounds[i - 1]!)
      throw new AppError('usage', `bucket bounds "${text}" must increase (${bounds[i - 1]} then ${b}).`, [], {
        key: 'problem.buckets.increase',
        params: { value: text, previous: bounds[i - 1]!, next: b },
      });
  });
  return bounds;
}

export function agingBuckets(bounds: number[]): AgingBucket[] {
  const buckets: AgingBucket[] = [{ key: 'notDue', fromDays: null, toDays: 0 }];
  bounds.forEach((to, i) => {
    const from = i === 0 ? 1 : bounds[i - 1]! + 1;
    buckets.push({ key: `${from}-${to}`, fromDays: from, toDays: to });
  });
  buckets.push({ key: `${bounds[bounds.length - 1]! + 1}+`, fromDays: bounds[bounds.length - 1]! + 1, toDays: null });
  return buckets;
}

/**
 * Days overdue = as-of date − due date, so a bucket is a range of due dates: the SQL compares the due
 * date with dates computed here and needs no date arithmetic of its own (the same text on both engines).
 * Returns, per bucket, the inclusive lowest and highest due date (null: unbounded).
 */
export function dueDateRanges(asOf: IsoDate, buckets: AgingBucket[]): { min: IsoDate | null; max: IsoDate | null }[] {
  return buckets.map((b) => ({
    min: b.toDays === null ? null : addDays(asOf, -b.toDays),
    max: b.fromDays === null ? null : addDays(asOf, -b.fromDays),
  }));
}

export function bucketLabel(bucket: AgingBucket, language: 'fr' | 'en'): string {
  if (bucket.fromDays === null) return language === 'fr' ? 'Non échu' : 'Not yet due';
  const days = language === 'fr' ? 'j' : 'days';
  if (bucket.toDays === null) return `> ${bucket.fromDays - 1} ${days}`;
  return `${bucket.fromDays}–${bucket.toDays} ${days}`;
}

export function bucketIndex(daysOverdue: number, buckets: AgingBucket[]): number {
  return buckets.findIndex(
    (b) => (b.fromDays === null || daysOverdue >= b.fromDays) && (b.toDays === null || daysOverdue <= b.toDays),
  );
}
