import { NO_SMTP, type DispatchReport } from './dispatch.ts';

/** One sentence for a person (CLI output, worker log) about what a dispatch did. */
export function describeDispatch(report: DispatchReport): string {
  const parts = [`${report.sent} e-mails sent`];
  if (report.retried) parts.push(`${report.retried} to retry later`);
  if (report.failed) parts.push(`${report.failed} failed`);
  if (report.interrupted)
    parts.push(`${report.interrupted} interrupted by a crash, not re-sent (see relance outbox --status failed)`);
  let text = parts.join(', ');
  if (report.notSent) text += `; ${report.notSent} ${NO_SMTP} (written as .eml under ${report.emlDir})`;
  if (report.stopped) text += `; stopped: ${report.stopped}`;
  return `${text}.`;
}
