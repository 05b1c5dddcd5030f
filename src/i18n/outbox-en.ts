import type { outboxFr } from './outbox-fr.ts';

type Shape<T> = { [K in keyof T]: T[K] extends string ? string : Shape<T[K]> };

/** Why a message of the outbox is not sent, and what an SMTP refusal means, in English: `outbox.*` keys. */
export const outboxEn: Shape<typeof outboxFr> = {
  errors: {
    noSmtp: 'Not sent: no SMTP server is configured (Settings > E-mail).',
    noSmtpAttachment:
      'Not sent: no SMTP server is configured (Settings > E-mail); attachments that could not be made: {{reason}}',
    login: 'Sending stopped: the SMTP server refuses the connection or the login ({{reply}}).',
    notSmtp: 'The server given does not answer as an SMTP server: tried again later.',
    refused: 'Refused by the SMTP server: {{reply}}',
    deferred: 'Deferred by the SMTP server, tried again later: {{reply}}',
    unreachable: 'SMTP server unreachable, tried again later: {{reply}}',
    gaveUp: 'Given up after {{attempts}} attempts: {{reply}}',
    loginRefused: 'Sending stopped: the SMTP server refuses the user name or the password (Settings > E-mail).',
    rejected: 'Refused by the mail server ({{status}}): $t(outbox.smtp.{{why}}).',
    postponed: 'Deferred by the mail server ({{status}}), tried again later: $t(outbox.smtp.{{why}}).',
    network: 'SMTP server unreachable, tried again later: $t(outbox.smtp.{{why}}).',
    gaveUpWhy: 'Given up after {{attempts}} attempts: $t(outbox.smtp.{{why}}).',
    attachment: 'An attachment could not be made: {{reason}}',
    attachmentWhy: 'An attachment could not be made: $t({{why}})',
    noSmtpAttachmentWhy:
      'Not sent: no SMTP server is configured (Settings > E-mail); an attachment could not be made: $t({{why}})',
    interrupted:
      'Interrupted while being sent: the server may have received it, so it is not sent again automatically ("Retry" after checking).',
    bounced: 'Bounced, the address is flagged: {{reason}}',
    bouncedUnknown: 'Bounced, the address is flagged: $t(outbox.smtp.{{why}}).',
    bouncedWhy: 'Bounced ({{status}}), the address is flagged: $t(outbox.smtp.{{why}}).',
    cancelled: {
      settled: 'Cancelled before sending: invoice {{invoice}} is paid or credited.',
      disputed: 'Cancelled before sending: invoice {{invoice}} is disputed.',
      blocked: "Cancelled before sending: the customer's reminders are blocked.",
      paused: "Cancelled before sending: the customer's reminders are paused.",
      promised: 'Cancelled before sending: a payment of invoice {{invoice}} is promised.',
      changed:
        "Cancelled before sending: the balance of invoice {{invoice}} changed; the next reminder will start from today's data.",
      bounced: 'Cancelled: the message bounced; the reminder goes again by post.',
    },
  },
  smtp: {
    unknownUser: "the recipient's address does not exist (correct the contact's e-mail)",
    unknownDomain: "the domain of the recipient's address does not exist or takes no e-mail",
    mailboxFull: "the recipient's mailbox is full",
    tooBig: 'the message is too large for the recipient (attachments?)',
    policy: "refused by the receiving server's rules (spam filter, SPF, DKIM or DMARC of the sender)",
    temporary: 'a temporary problem at the receiving server',
    permanent: 'refused for good',
    connectionRefused: 'the server refuses the connection (wrong port, or server stopped)',
    timeout: 'the server does not answer in time',
    hostNotFound: 'the server name is unknown (check Settings > E-mail)',
    loginRefused: 'the server refuses the user name or the password (Settings > E-mail)',
    notSmtp: 'the server given does not answer as an SMTP server',
    settingsUnreadable:
      'the saved mail settings cannot be read (SMTP server or DKIM key): enter them again in Settings > E-mail',
    connection: 'the SMTP server refuses the secure connection or the settings (Settings > E-mail): {{reply}}',
    identity: 'the company identity is incomplete, fill in: {{gaps, keys}}',
    unexpected: 'an unexpected error occurred; the messages stay queued and the incident is logged',
  },
  attachmentUnreadable: 'the reference of the attachment cannot be read',
  identity: {
    incomplete: 'No reminder can leave until the company identity is complete. Fill in: {{gaps, keys}}.',
    address:
      "the company's postal address (letters) — Settings › Company, or relance company set --address-line1 … --postcode … --city …",
    iban: 'the IBAN (payment by bank transfer is offered) — Settings › Company, or relance company set --iban …',
    senderEmail:
      'the sender address of e-mails — Settings › Company (sender) or E-mail, or relance company set --sender-email …',
  },
};
