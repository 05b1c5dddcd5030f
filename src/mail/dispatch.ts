import { sendingIdentityRefusal } from '../communications/sending-identity.ts';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Db } from '../storage/database.ts';
import {
  countOutbox,
  listUnwrittenQueued,
  markFailed,
  markRetry,
  markWritten,
  recoverInterrupted,
  type OutboxMessage,
} from '../storage/outbox.ts';
import { claimMessages, type ClaimedMessage, type SentMark } from '../storage/outbox-claim.ts';
import { AttachmentError, resolveAttachments } from './attachments.ts';
import { getMailSettings, senderOf, smtpUrlOf, type MailSettings } from './settings.ts';
import { cancelAtSendTime, verdictOf } from './send-time-check.ts';
import { getCompany } from '../storage/companies.ts';
import { companyLanguage } from '../domain/ledger.ts';
import { todayIn } from '../domain/calendar.ts';
import { translator } from '../i18n/index.ts';
import { buildEml, classifyFailure, smtpMailer, type Mailer, type OutgoingMail } from './transport.ts';

export const NO_SMTP = 'not sent: no SMTP server configured';

export type DispatchOptions = {
  /** A mailer to reuse (left open); without one, the company's SMTP settings make a pooled one. */
  mailer?: Mailer;
  /** Messages in flight at once; default: the mailer's connections. */
  concurrency?: number;
  /** At most this many messages in this call. */
  limit?: number;
  /** How long a claimed message belongs to this dispatcher; after that a dead one's messages are recovered. */
  leaseSeconds?: number;
  /** First retry delay after a transient failure, doubled at each attempt (capped at 6 hours). */
  backoffSeconds?: number;
  /** Attempts before a transiently failing message is given up as failed. */
  maxAttempts?: number;
  /** Where .eml files go when no SMTP server is configured (default ./data). */
  dataDir?: string;
};

export type DispatchReport = {
  sent: number;
  retried: number;
  failed: number;
  /** Left in `sending` by a dispatcher that died: now failed and shown, never re-sent blindly. */
  interrupted: number;
  /** Queued messages that stay unsent because no SMTP server is configured (written as .eml). */
  notSent: number;
  emlDir: string | null;
  /** Why the dispatch stopped early (SMTP login refused…); the messages stay queued. */
  stopped: string | null;
  /** The same as a catalogue code (`outbox.smtp.*`) when its cause is a known one, said in each reader's language. */
  stoppedReason?: { code: string; params: Record<string, string | number> };
  /** Reminders not sent because the send-time check found an invoice paid, disputed, held or changed since. */
  cancelled: number;
};

const MAX_BACKOFF_SECONDS = 6 * 3600;

function later(seconds: number): string {
  return new Date(Date.now() + seconds * 1000).toISOString();
}

export function outgoing(
  message: OutboxMessage,
  settings: MailSettings,
  attachments: OutgoingMail['attachments'],
): OutgoingMail {
  return {
    from: message.from ?? senderOf(settings),
    to: message.to,
    cc: message.cc,
    bcc: message.bcc,
    replyTo: message.replyTo ?? settings.replyTo,
    subject: message.subject,
    text: message.text,
    html: message.html,
    messageId: message.messageId,
    attachments,
  };
}

/**
 * Sends what is due in the company's outbox, once. Each message is claimed (status `sending`, with a
 * lease) right before its SMTP transaction and marked `sent` only after the server accepted it.
 *
 * The guarantee: a message is accepted by the SMTP server at most once, and one that is not `sent` is
 * visible as queued, sending or failed. A crash between the server's acceptance and the status update
 * leaves the message in `sending`; once its lease runs out it is marked failed ("interrupted") rather
 * than sent again, because re-sending it could deliver it twice. At most `concurrency` messages can be
 * in that state per crash. (A network cut after the final dot but before the server's reply is the one
 * case SMTP itself cannot tell apart from a refusal; it is retried with the same Message-ID.)
 */
export async function dispatchOutbox(
  db: Db,
  companyId: string,
  options: DispatchOptions = {},
): Promise<DispatchReport> {
  const settings = await getMailSettings(db, companyId);
  const report: DispatchReport = {
    sent: 0,
    retried: 0,
    failed: 0,
    interrupted: 0,
    notSent: 0,
    emlDir: null,
    stopped: null,
    cancelled: 0,
  };
  report.interrupted = await recoverInterrupted(db, companyId, new Date().toISOString());
  // A company SMTP password that no longer decrypts must not turn into "no SMTP, write .eml files" or
  // into sending through RELANCE_SMTP_URL: the messages wait, and the reason is shown.
  if (settings.problem && !options.mailer)
    return {
      ...report,
      stopped: settings.problem,
      stoppedReason: { code: 'outbox.smtp.settingsUnreadable', params: {} },
    };
  const url = smtpUrlOf(settings);
  if (!options.mailer && url === null) return writeEmlFiles(db, companyId, settings, options, report);
  // Nothing leaves without a real sender address: the messages wait, and the reason says what to fill in.
  const refusal = await sendingIdentityRefusal(
    db,
    companyId,
    { email: true, letter: false, transfer: false },
    settings,
    true,
  );
  if (refusal)
    return {
      ...report,
      stopped: translator('en')(refusal.key, refusal.params),
      stoppedReason: { code: refusal.key, params: refusal.params ?? {} },
    };

  const mailer = options.mailer ?? smtpMailer(url!, { dkim: settings.dkim });
  const concurrency = Math.max(1, options.concurrency ?? mailer.connections);
  const leaseSeconds = options.leaseSeconds ?? 600;
  const backoff = options.backoffSeconds ?? 60;
  const maxAttempts = options.maxAttempts ?? 8;
  let budget = options.limit ?? Number.POSITIVE_INFINITY;

  const company = await getCompany(db, companyId);
  const language = companyLanguage(company);
  const deliver = async (claimed: ClaimedMessage, today: string): Promise<SentMark | null> => {
    const { message } = claimed;
    // The send-time check, on the company's today, from the rows read with the claim (a message that waited for a
    // retry is checked again too).
    if (claimed.checks !== null) {
      const verdict = verdictOf(claimed.checks, today);
      if (verdict) {
        await cancelAtSendTime(db, companyId, message, verdict, language);
        report.cancelled++;
        return null;
      }
    }
    let attachments: OutgoingMail['attachments'];
    try {
      attachments = await resolveAttachments(db, companyId, message.attachments, undefined, claimed.invoiceFiles);
    } catch (error) {
      if (!(error instanceof AttachmentError)) throw error;
      await markFailed(db, companyId, message.id, `attachment: ${error.message}`, {
        code: 'attachmentWhy',
        params: { ...error.text.params, why: error.text.key },
      });
      report.failed++;
      return null;
    }
    let outcome;
    try {
      outcome = await mailer.send(outgoing(message, settings, attachments));
    } catch (error) {
      const failure = classifyFailure(error);
      // The server's own words are kept as a parameter: they are its reply, not ours to translate. A common
      // cause is said from the catalogue instead (`why`, with the reply's codes).
      const cause = failure.why ? { why: failure.why, ...(failure.status ? { status: failure.status } : {}) } : {};
      const code = { code: failure.code, params: { reply: failure.message, attempts: message.attempts, ...cause } };
      if (failure.kind === 'configuration') {
        report.stopped = failure.message;
        // Said from the catalogue whatever the cause; the server's own words only as the detail of a refused TLS.
        const why = failure.why ?? (failure.code === 'loginRefused' ? failure.code : null);
        report.stoppedReason = why
          ? { code: `outbox.smtp.${why}`, params: {} }
          : { code: 'outbox.smtp.connection', params: { reply: failure.message } };
        await markRetry(db, companyId, message.id, {
          error: failure.message,
          code,
          nextAttemptAt: new Date().toISOString(),
          countAttempt: false,
        });
      } else if (failure.kind === 'permanent') {
        await markFailed(db, companyId, message.id, failure.message, code);
        report.failed++;
      } else if (message.attempts >= maxAttempts) {
        await markFailed(db, companyId, message.id, `gave up after ${message.attempts} attempts: ${failure.message}`, {
          ...code,
          code: failure.why ? 'gaveUpWhy' : 'gaveUp',
        });
        report.failed++;
      } else {
        const delay = Math.min(MAX_BACKOFF_SECONDS, backoff * 2 ** (message.attempts - 1));
        await markRetry(db, companyId, message.id, { error: failure.message, code, nextAttemptAt: later(delay) });
        report.retried++;
      }
      return null;
    }
    const note = outcome.rejected.length > 0 ? `refused recipients: ${outcome.rejected.join(', ')}` : null;
    report.sent++;
    // Written with the next claim (one round trip on PostgreSQL), or at the latest when the dispatch stops.
    // Its reminders count as sent from now on (written with the message's own mark).
    const reminders = claimed.checks !== null ? { communicationId: message.communicationId! } : null;
    return { id: message.id, response: outcome.response, note, reminders };
  };

  // Messages are claimed only when a connection is free to send them at once, so a crash leaves at most
  // `concurrency` messages in doubt (in flight, or accepted with their mark not yet written), not a whole batch.
  // Waiting until about half the connections are free before claiming makes each claim serve several messages.
  const batchAt = Math.ceil(concurrency / 2);
  const running = new Set<Promise<void>>();
  let accepted: SentMark[] = [];
  let failure: { error: unknown } | null = null;
  const start = (claimed: ClaimedMessage, today: string) => {
    const sending: Promise<void> = deliver(claimed, today)
      .then(
        (mark) => {
          if (mark) accepted.push(mark);
        },
        (error: unknown) => {
          failure ??= { error };
        },
      )
      .finally(() => running.delete(sending));
    running.add(sending);
  };
  // Claims that go out with marks, so each is written before anything else is sent (see claimMessages).
  const claim = async (limit: number) => {
    const sent = accepted;
    accepted = [];
    return claimMessages(db, companyId, {
      now: new Date().toISOString(),
      leaseUntil: later(leaseSeconds),
      limit,
      sent,
    });
  };
  try {
    let drained = false;
    for (;;) {
      const halted = report.stopped !== null || failure !== null || budget <= 0;
      // After a short claim (the queue looked empty) or to stop, every message in flight is waited for first.
      const free = halted || drained ? concurrency : batchAt;
      while (running.size > 0 && concurrency - running.size < free) await Promise.race(running);
      if (halted) {
        await claim(0);
        break;
      }
      const limit = Math.min(concurrency - running.size, budget);
      const batch = await claim(limit);
      // Done when nothing came and nothing is left to mark: a message accepted while this claim ran has its mark
      // written by the next one.
      if (batch.length === 0 && running.size === 0 && accepted.length === 0) break;
      drained = batch.length < limit;
      budget -= batch.length;
      const today = todayIn(company.timeZone);
      for (const claimed of batch) start(claimed, today);
    }
  } finally {
    await Promise.allSettled(running);
    if (!options.mailer) mailer.close();
  }
  if (failure) throw (failure as { error: unknown }).error;
  return report;
}

function emlName(messageId: string): string {
  return `${messageId.replace(/^<|>$/g, '').replace(/[^A-Za-z0-9@._-]/g, '_')}.eml`;
}

/** No SMTP server: each queued message is written once as an .eml file and stays queued, not sent. */
async function writeEmlFiles(
  db: Db,
  companyId: string,
  settings: MailSettings,
  options: DispatchOptions,
  report: DispatchReport,
): Promise<DispatchReport> {
  const dir = resolve(options.dataDir ?? 'data', 'outbox', companyId);
  report.emlDir = dir;
  for (;;) {
    const batch = await listUnwrittenQueued(db, companyId, 200);
    if (batch.length === 0) break;
    mkdirSync(dir, { recursive: true });
    for (const message of batch) {
      let attachments: OutgoingMail['attachments'] = [];
      let note = NO_SMTP;
      let code = { code: 'noSmtp', params: {} as Record<string, string | number> };
      try {
        attachments = await resolveAttachments(db, companyId, message.attachments);
      } catch (error) {
        if (!(error instanceof AttachmentError)) throw error;
        note = `${NO_SMTP}; written without its attachments: ${error.message}`;
        code = { code: 'noSmtpAttachmentWhy', params: { ...error.text.params, why: error.text.key } };
      }
      const path = join(dir, emlName(message.messageId));
      writeFileSync(path, await buildEml(outgoing(message, settings, attachments)));
      await markWritten(db, companyId, message.id, path, note, code);
    }
  }
  report.notSent = (await countOutbox(db, companyId)).queued;
  return report;
}
