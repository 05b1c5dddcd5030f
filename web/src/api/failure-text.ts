import type { i18n as I18n } from 'i18next';
import { ApiError } from './api-error.ts';

/** Whether the server's catalogue (`messages`) has a key, a plural one (`_one`, `_other`) included. */
export function hasMessageKey(i18n: Pick<I18n, 'exists'>, key: string): boolean {
  return i18n.exists(key, { ns: 'messages' }) || i18n.exists(`${key}_other`, { ns: 'messages' });
}

/**
 * What went wrong, said to the reader in their language: the server's catalogue message (messageKey, params) or
 * its code's generic text, "service unavailable" when the server could not be reached, else a generic sentence.
 * The text of any other error (the browser's, a library's, a bug's) is English or raw, so it goes to the console
 * for whoever debugs, never to the screen.
 */
export function failureText(error: unknown, i18n: Pick<I18n, 't' | 'exists'>): string {
  if (error instanceof ApiError) {
    if (error.messageKey && hasMessageKey(i18n, error.messageKey))
      return i18n.t(error.messageKey, { ns: 'messages', ...error.params });
    if (i18n.exists(`errors.${error.code}`, { ns: 'messages' }))
      return i18n.t(`errors.${error.code}`, { ns: 'messages' });
    // A problem without a known key or code: problemMessage already chose the best text it had.
    return error.message;
  }
  console.error(error);
  // fetch and XMLHttpRequest fail with a TypeError ("Failed to fetch", "NetworkError…") when the server is out of reach.
  if (error instanceof TypeError && /fetch|network/i.test(error.message))
    return i18n.t('errors.unavailable', { ns: 'messages' });
  return i18n.t('common.unexpected');
}
