import type { i18n as I18n, TFunction } from 'i18next';
import { fieldLabelKeys } from '../../../src/i18n/field-label.ts';
import { ApiError } from '../api/api-error.ts';
import { hasMessageKey } from '../api/failure-text.ts';

type Issue = NonNullable<ApiError['errors']>[number];

/** An issue's reason in the reader's language: from its catalogue key when the server named one, else as sent. */
export function issueReasonText(issue: Issue, t: TFunction, i18n: I18n): string {
  return issue.code && hasMessageKey(i18n, issue.code)
    ? t(issue.code, { ns: 'messages', ...issue.params })
    : issue.reason;
}

/** A field's label: the catalogue's import, template or settings field, else as named. */
export function issueFieldText(field: string, t: TFunction, i18n: I18n): string {
  for (const { key, params } of fieldLabelKeys(field))
    if (i18n.exists(key, { ns: 'messages' })) return t(key, { ns: 'messages', ...params });
  return field;
}

/** The reasons of a refused form by field (`body.` dropped), to show each under its input. */
export function fieldErrors(error: unknown, t: TFunction, i18n: I18n): Record<string, string> {
  if (!(error instanceof ApiError) || !error.errors) return {};
  const byField: Record<string, string> = {};
  for (const issue of error.errors) byField[issue.field.replace(/^body\./, '')] ??= issueReasonText(issue, t, i18n);
  return byField;
}

/** Why an outbox message is not sent, in the reader's language: from its catalogue code, else as logged. */
export function outboxErrorText(
  message: { lastError: string | null; error?: { code: string; params: Record<string, string | number> } | null },
  t: TFunction,
  i18n: I18n,
): string | null {
  const error = message.error;
  return error && hasMessageKey(i18n, error.code)
    ? t(error.code, { ns: 'messages', ...error.params })
    : message.lastError;
}

/**
 * Why a dispatch stopped early, as one sentence ("Envoi arrêté : …"): from its catalogue code when the server
 * named one, else as sent; null when it did not stop.
 */
export function stoppedText(
  dispatch: {
    stopped: string | null;
    stoppedReason?: { code: string; params: Record<string, string | number> } | null;
  },
  t: TFunction,
  i18n: I18n,
): string | null {
  const why = dispatch.stoppedReason;
  const reason =
    why && hasMessageKey(i18n, why.code) ? t(why.code, { ns: 'messages', ...why.params }) : dispatch.stopped;
  return reason ? t('outbox.stopped', { reason: reason.replace(/\.$/, '') }) : null;
}
