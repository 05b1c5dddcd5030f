import type { Company, Language } from './ledger.ts';
import { formatMoney } from './money.ts';

/**
 * The legal mentions a French business letter carries under the name (Code de commerce R123-237): legal
 * form and share capital, registry entry, SIRET. Null when none is known, so nothing empty is printed.
 */
export function legalMentions(
  company: Pick<Company, 'legalForm' | 'shareCapital' | 'rcs' | 'siret' | 'currency'>,
  language: Language,
): string | null {
  const capital =
    company.shareCapital !== undefined && company.shareCapital !== null
      ? formatMoney(company.shareCapital, company.currency, language === 'en' ? 'en-GB' : 'fr-FR')
      : null;
  const form =
    company.legalForm && capital
      ? language === 'en'
        ? `${company.legalForm} with a share capital of ${capital}`
        : `${company.legalForm} au capital de ${capital}`
      : (company.legalForm ??
        (capital ? (language === 'en' ? `Share capital ${capital}` : `Capital ${capital}`) : null));
  const siret = company.siret
    ? `SIRET ${company.siret.replace(/^(\d{3})(\d{3})(\d{3})(\d{5})$/, '$1 $2 $3 $4')}`
    : null;
  const parts = [form, company.rcs ?? null, siret].filter((part): part is string => !!part);
  return parts.length > 0 ? parts.join(' · ') : null;
}

/** What a reminder needs of the company's identity before it may leave. */
export type SendingNeeds = {
  /** A letter goes by post: the sender's postal address is on the letterhead and the envelope. */
  letter: boolean;
  /** An e-mail goes out: it needs a sender address the receiving servers accept. */
  email: boolean;
  /** The text offers payment by bank transfer: the IBAN must be printed with it. */
  transfer: boolean;
};

export type IdentityGap = 'address' | 'iban' | 'senderEmail';

const PLACEHOLDER_SENDERS = /@localhost$|@example\.(com|org|net)$/i;

/**
 * The identity fields a send needs and the company lacks. `sender` is the e-mail sender resolved from the
 * mail settings, the company's sender address or RELANCE_MAIL_FROM (null when none of them names one).
 */
export function identityGaps(
  company: Pick<Company, 'address' | 'iban'>,
  sender: string | null,
  needs: SendingNeeds,
): IdentityGap[] {
  const gaps: IdentityGap[] = [];
  const { line1, postcode, city } = company.address;
  if (needs.letter && !(line1?.trim() && postcode?.trim() && city?.trim())) gaps.push('address');
  if (needs.transfer && !company.iban?.trim()) gaps.push('iban');
  if (needs.email && (!sender || PLACEHOLDER_SENDERS.test(sender.replace(/>$/, '')))) gaps.push('senderEmail');
  return gaps;
}

/**
 * What the communications of a run need: a letter goes by post with its payment block, which offers the
 * bank transfer; an e-mail needs a sender.
 */
export function sendingNeedsOf(channelLists: readonly (readonly string[])[]): SendingNeeds {
  const letter = channelLists.some((channels) => channels.includes('letter'));
  return { letter, email: channelLists.some((channels) => channels.includes('email')), transfer: letter };
}

/**
 * The refusal: what to fill in and where, as a catalogue text (`outbox.identity.*`) the reader's language says.
 * `fragment` is the same as the clause of a stopped dispatch ("stopped: the company identity is incomplete…").
 */
export function identityRefusal(
  gaps: IdentityGap[],
  fragment = false,
): { key: string; params: Record<string, string> } {
  const keys = gaps.map((gap) => `outbox.identity.${gap}`).join(',');
  return { key: fragment ? 'outbox.smtp.identity' : 'outbox.identity.incomplete', params: { gaps: keys } };
}
