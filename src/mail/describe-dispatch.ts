import { translator, type MessageLanguage } from '../i18n/index.ts';
import type { DispatchReport } from './dispatch.ts';

/** One sentence for a person (CLI output, worker log) about what a dispatch did, in their language. */
export function describeDispatch(report: DispatchReport, language: MessageLanguage = 'en'): string {
  const t = translator(language);
  const say = (key: string, count: number, params: Record<string, string> = {}) =>
    t(`cli.out.dispatch.${key}`, { count, ...params });
  const parts = [say('sent', report.sent)];
  if (report.retried) parts.push(say('retried', report.retried));
  if (report.failed) parts.push(say('failed', report.failed));
  if (report.interrupted) parts.push(say('interrupted', report.interrupted));
  const semicolon = language === 'fr' ? ' ; ' : '; ';
  let text = parts.join(', ');
  if (report.notSent) text += `${semicolon}${say('notSent', report.notSent, { dir: report.emlDir ?? '' })}`;
  const stopped = report.stoppedReason ? t(report.stoppedReason.code, report.stoppedReason.params) : report.stopped;
  if (stopped) text += `${semicolon}${t('cli.out.dispatch.stopped', { reason: stopped })}`;
  return `${text}.`;
}
