/**
 * Whether an inbound message was written by a machine (an out-of-office, an autoresponder, a list) rather than by
 * the customer: such an answer is kept but is not an answer, so it neither holds the reminders nor asks anyone
 * to read it. Pure: the caller hands in the headers it read (names in lower case) and the envelope sender.
 */
export const AUTO_REPLY_REASONS = [
  'auto_submitted',
  'x_autoreply',
  'x_autorespond',
  'precedence',
  'auto_response_suppress',
  'null_sender',
  'subject',
] as const;
export type AutoReplyReason = (typeof AUTO_REPLY_REASONS)[number];

export type AutoReplyInput = {
  /** Header values by lower-case name; a repeated header gives its values joined or its first one. */
  headers: ReadonlyMap<string, string>;
  subject: string;
  /** The SMTP envelope's MAIL FROM; `''` is the null sender (`<>`) RFC 3834 asks autoresponders to use. */
  envelopeFrom?: string | null;
};

// Lower case and without accents: "Réponse automatique" and "REPONSE AUTOMATIQUE" alike.
function fold(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[\u2019`]/g, "'")
    .replace(/\s+/g, ' ');
}

// Phrases mail programs put in an out-of-office subject (French, English, and the German of many
// suppliers' headquarters); each is specific enough not to appear in a person's own subject line.
const AUTO_SUBJECTS = [
  'absence du bureau',
  'absent du bureau',
  'absente du bureau',
  "message d'absence",
  'reponse automatique',
  'reponse auto :',
  'reponse auto:',
  'absence prolongee',
  'out of office',
  'out of the office',
  'automatic reply',
  'auto reply',
  'auto-reply',
  'autoreply',
  'auto response',
  'auto-response',
  'autoresponse',
  'away from the office',
  'abwesenheitsnotiz',
  'automatische antwort',
];

function headerValue(input: AutoReplyInput, name: string): string | null {
  const value = input.headers.get(name);
  if (value === undefined) return null;
  const trimmed = value.trim();
  return trimmed === '' ? null : trimmed;
}

/** The first sign the message is automatic, or null for a message a person wrote. */
export function autoReplyReason(input: AutoReplyInput): AutoReplyReason | null {
  // RFC 3834: any value but "no" (parameters after ";" aside) marks an automatic message.
  const submitted = headerValue(input, 'auto-submitted');
  if (submitted !== null && submitted.split(';')[0]!.trim().toLowerCase() !== 'no') return 'auto_submitted';
  const autoreply = headerValue(input, 'x-autoreply');
  if (autoreply !== null && !/^(no|false|0)$/i.test(autoreply)) return 'x_autoreply';
  if (headerValue(input, 'x-autorespond') !== null) return 'x_autorespond';
  const precedence = headerValue(input, 'precedence');
  if (precedence !== null && /^(auto_reply|bulk|junk)$/i.test(precedence)) return 'precedence';
  // Exchange marks its own automatic messages with it (OOF, AutoReply, All); "None" asks nothing.
  const suppress = headerValue(input, 'x-auto-response-suppress');
  if (suppress !== null && !/^none$/i.test(suppress)) return 'auto_response_suppress';
  if (input.envelopeFrom === '') return 'null_sender';
  const subject = fold(input.subject);
  if (AUTO_SUBJECTS.some((phrase) => subject.includes(phrase))) return 'subject';
  return null;
}
