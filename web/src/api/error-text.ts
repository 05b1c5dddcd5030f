import i18n from '../i18n/index.ts';
import { failureText } from './failure-text.ts';

/** A caught error as the reader is told it, in the language the app shows (see failureText). */
export function errorText(error: unknown): string {
  return failureText(error, i18n);
}
