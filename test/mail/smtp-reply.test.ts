import { describe, expect, it } from 'vitest';
import { translator } from '../../src/i18n/index.ts';
import { outboxErrorText } from '../../src/mail/outbox-errors.ts';
import { bounceWhy } from '../../src/domain/smtp-reply.ts';
import { classifyFailure } from '../../src/mail/transport.ts';

/** What the outbox says of a send that failed with this error, as dispatch stores it. */
function said(error: object, language: 'fr' | 'en', attempts = 1): string {
  const failure = classifyFailure(Object.assign(new Error(String((error as { message?: string }).message)), error));
  const cause = failure.why ? { why: failure.why, ...(failure.status ? { status: failure.status } : {}) } : {};
  return outboxErrorText(
    { code: `outbox.errors.${failure.code}`, params: { reply: failure.message, attempts, ...cause } },
    language,
  );
}

describe("an SMTP server's refusal, said in the reader's language", () => {
  it('names the common permanent causes by their enhanced status code', () => {
    const unknown = {
      responseCode: 550,
      message:
        "Can't send mail - all recipients were rejected: 550 5.1.1 <x@y.fr>: Recipient address rejected: User unknown",
    };
    expect(said(unknown, 'fr')).toBe(
      "Refusé par le serveur de messagerie (550 5.1.1) : l'adresse du destinataire n'existe pas (corrigez l'e-mail du contact).",
    );
    expect(said(unknown, 'en')).toBe(
      "Refused by the mail server (550 5.1.1): the recipient's address does not exist (correct the contact's e-mail).",
    );
    expect(said({ responseCode: 552, message: '552 5.2.2 Mailbox full' }, 'fr')).toBe(
      'Refusé par le serveur de messagerie (552 5.2.2) : la boîte du destinataire est pleine.',
    );
    expect(said({ responseCode: 550, message: '550 5.7.1 Message rejected as spam' }, 'fr')).toContain(
      'filtre anti-spam',
    );
    expect(said({ responseCode: 552, message: '552 5.3.4 Message size exceeds fixed limit' }, 'en')).toContain(
      'too large',
    );
  });

  it('says a 4xx reply is temporary and tried again, and a network failure by its cause', () => {
    expect(said({ responseCode: 451, message: '451 4.3.0 Try again later' }, 'fr')).toBe(
      'Différé par le serveur de messagerie (451 4.3.0), nouvel essai plus tard : un problème passager du serveur destinataire.',
    );
    expect(said({ responseCode: 452, message: '452 4.2.2 Mailbox full' }, 'en')).toBe(
      "Deferred by the mail server (452 4.2.2), tried again later: the recipient's mailbox is full.",
    );
    expect(said({ code: 'ESOCKET', message: 'connect ECONNREFUSED 127.0.0.1:2525' }, 'fr')).toBe(
      'Serveur SMTP injoignable, nouvel essai plus tard : le serveur refuse la connexion (mauvais port, ou serveur arrêté).',
    );
    expect(said({ code: 'EDNS', message: 'getaddrinfo ENOTFOUND smtp.nowhere.invalid' }, 'en')).toContain(
      'the server name is unknown',
    );
    expect(said({ code: 'EAUTH', message: 'Invalid login: 535 5.7.8 Authentication failed' }, 'fr')).toBe(
      "Envoi arrêté : le serveur SMTP refuse l'identifiant ou le mot de passe (Paramètres > E-mail).",
    );
  });

  it("keeps the server's own words when the cause is not a known one", () => {
    expect(said({ responseCode: 550, message: 'Mailbox unavailable' }, 'fr')).toBe(
      'Refusé par le serveur SMTP : Mailbox unavailable',
    );
    expect(said({ code: 'ESOCKET', message: 'Client network socket disconnected' }, 'en')).toBe(
      'SMTP server unreachable, tried again later: Client network socket disconnected',
    );
  });

  it("says what a flagged contact's bounce means, from its status or its reply code, a refusal for good otherwise", () => {
    expect(bounceWhy('5.1.1 550 5.1.1 <marie@client.fr>: Recipient address rejected: User unknown')).toBe(
      'unknownUser',
    );
    expect(bounceWhy('5.2.2 mailbox full')).toBe('mailboxFull');
    expect(bounceWhy('552 Requested mail action aborted: exceeded storage allocation')).toBe('mailboxFull');
    expect(bounceWhy('550 no such user here')).toBe('unknownUser');
    expect(bounceWhy('5.0.0 Remote server said something odd')).toBe('permanent');
    expect(bounceWhy('delivery failed')).toBe('permanent');
    expect(bounceWhy(null)).toBe('permanent');
    // A bounce is final: a 4xx in its words is no temporary problem for the reader.
    expect(bounceWhy('421 try later')).toBe('permanent');
    const t = translator('fr');
    expect(t('outbox.errors.bouncedUnknown', { why: bounceWhy('delivery failed') })).toBe(
      "Revenu en erreur, l'adresse est signalée : refus définitif.",
    );
  });
});
