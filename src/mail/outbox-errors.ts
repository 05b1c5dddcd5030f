import { hasMessage, translator, type MessageLanguage } from '../i18n/index.ts';
import type { OutboxError } from '../storage/outbox.ts';

/** Why a message is not sent, in the reader's language (the server's own reply stays as it said it). */
export function outboxErrorText(error: OutboxError, language: MessageLanguage): string {
  if (hasMessage(language, error.code)) return translator(language)(error.code, error.params);
  return String(error.params.reply ?? error.params.reason ?? '');
}
