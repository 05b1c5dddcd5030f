import { fieldLabel, hasMessage, issueReason, translator, type MessageLanguage } from '../i18n/index.ts';
import type { AppError, FieldIssue } from '../shared/errors.ts';

/**
 * An error as the CLI prints it, in the reader's language: its message from the catalogue when it names
 * a key (else as raised), each issue with its line, its field's label and its reason.
 */
export function describeError(error: AppError, language: MessageLanguage): { message: string; issues: string[] } {
  const t = translator(language);
  const message =
    error.messageKey && hasMessage(language, error.messageKey) ? t(error.messageKey, error.params) : error.message;
  return { message, issues: error.issues.map((issue) => describeFieldIssue(issue, language)) };
}

/** One issue (a bad row or field) in the reader's language: its line, its field's label and its reason. */
export function describeFieldIssue(issue: FieldIssue, language: MessageLanguage): string {
  const t = translator(language);
  const field = fieldLabel(issue.field, language);
  const reason = issueReason(issue, language);
  return issue.line !== undefined
    ? t('cli.issueLine', { line: issue.line, field, reason })
    : t('cli.issue', { field, reason });
}
