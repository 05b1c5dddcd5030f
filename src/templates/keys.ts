import { z } from 'zod';
import type { Policy } from '../domain/dunning/policy.ts';
import { LanguageSchema, type Language } from '../domain/ledger.ts';

/**
 * The message kinds a company can edit, one set of fields per language. The keys are the names users
 * know from the products they leave (Standard, Prérelance, Relance 1, Relance 2, and a
 * template per level), plus the formal notice, the quote reminder and the thank-you for a payment.
 */
export const TEMPLATE_KEYS = [
  'standard',
  'prerelance',
  'relance1',
  'relance2',
  'relance3',
  'mise-en-demeure',
  'relance-devis',
  'remerciement',
] as const;
export const TemplateKeySchema = z.enum(TEMPLATE_KEYS);
export type TemplateKey = z.infer<typeof TemplateKeySchema>;

/** `subject` and `text` are plain text, `html` the HTML body of the e-mail, `letter` the body of the printed letter. */
export const TEMPLATE_FIELDS = ['subject', 'text', 'html', 'letter'] as const;
export const TemplateFieldSchema = z.enum(TEMPLATE_FIELDS);
export type TemplateField = z.infer<typeof TemplateFieldSchema>;

export const TEMPLATE_LANGUAGES: readonly Language[] = LanguageSchema.options;

export type MessageTemplate = {
  key: TemplateKey;
  language: Language;
  subject: string;
  text: string;
  html: string;
  letter: string;
};

/** How users and the future editor name each kind, per language. */
export const TEMPLATE_TITLES: Record<TemplateKey, Record<Language, string>> = {
  standard: { fr: 'Standard (premier envoi)', en: 'Standard (first sending)' },
  prerelance: { fr: 'Prérelance', en: 'Courtesy reminder (before the due date)' },
  relance1: { fr: 'Relance 1', en: 'Reminder 1' },
  relance2: { fr: 'Relance 2', en: 'Reminder 2' },
  relance3: { fr: 'Relance 3', en: 'Reminder 3' },
  'mise-en-demeure': { fr: 'Mise en demeure', en: 'Formal notice' },
  'relance-devis': { fr: 'Relance de devis', en: 'Quote follow-up' },
  remerciement: { fr: 'Remerciement (paiement reçu)', en: 'Thank you (payment received)' },
};

export function isTemplateKey(value: string): value is TemplateKey {
  return (TEMPLATE_KEYS as readonly string[]).includes(value);
}

const LADDER: TemplateKey[] = ['relance1', 'relance2', 'relance3'];

/**
 * The template of a policy level (1-based; 0 is the "Standard" first sending outside the ladder).
 * A step's own `templates` entry wins when it names a known key; otherwise a step before the due date is
 * the prérelance, a formal-notice step the mise en demeure, and the others Relance 1, 2, 3 by their
 * rank among the ordinary reminder steps (capped at 3, so a fifth step still reads as a firm reminder).
 */
export function templateKeyForStep(policy: Pick<Policy, 'steps'>, level: number): TemplateKey {
  if (level <= 0) return 'standard';
  const step = policy.steps[level - 1];
  if (!step) return LADDER[Math.min(level, LADDER.length) - 1]!;
  const named = step.templates?.find(isTemplateKey);
  if (named) return named;
  if (step.formalNotice) return 'mise-en-demeure';
  if (isPreReminder(step)) return 'prerelance';
  const rank = policy.steps.slice(0, level).filter((s) => !s.formalNotice && !isPreReminder(s)).length;
  return LADDER[Math.min(Math.max(rank, 1), LADDER.length) - 1]!;
}

/** The level a kind of message is sent at under a policy: the first step whose template it is (0 outside the ladder). */
export function levelForTemplate(policy: Pick<Policy, 'steps'>, key: TemplateKey): number {
  if (key === 'standard' || key === 'remerciement' || key === 'relance-devis') return 0;
  const index = policy.steps.findIndex((_step, i) => templateKeyForStep(policy, i + 1) === key);
  return index >= 0 ? index + 1 : 1;
}

// A step that fires before its origin date (in practice the due date) is a courtesy reminder.
function isPreReminder(step: Policy['steps'][number]): boolean {
  return step.delayDays < 0;
}
