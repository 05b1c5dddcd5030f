import { daysBetween } from '../domain/calendar.ts';
import type { MessageContext } from '../communications/message-context.ts';
import { moneyValue } from './engine.ts';

function isMoneyText(value: object): value is { cents: number; text: string } {
  const keys = Object.keys(value);
  return (
    keys.length === 2 &&
    typeof (value as { cents?: unknown }).cents === 'number' &&
    typeof (value as { text?: unknown }).text === 'string'
  );
}

function convert(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map(convert);
  if (isMoneyText(value)) return moneyValue(value.cents, value.text);
  const out: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(value)) out[key] = convert(field);
  return out;
}

/**
 * What a template sees: the message context as plain own properties, each amount as a value that prints
 * its text. A fresh copy per render, so nothing a template does can reach the caller's objects.
 */
export function templateScope(context: MessageContext): Record<string, unknown> {
  // Fields added to the contract after its first version are optional there; a template always sees them.
  const deadlineDays =
    context.payment.deadlineDays ??
    (context.payment.deadline ? daysBetween(context.date, context.payment.deadline) : null);
  const { portalUrl, ...rest } = context;
  return convert({
    ...rest,
    payment: { ...context.payment, deadlineDays },
    quotes: context.quotes ?? [],
    portal_url: portalUrl ?? null,
  }) as Record<string, unknown>;
}
