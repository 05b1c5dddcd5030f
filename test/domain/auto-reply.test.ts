import { describe, expect, it } from 'vitest';
import { autoReplyReason, type AutoReplyInput } from '../../src/domain/auto-reply.ts';

function of(headers: Record<string, string>, subject = 'Re: Relance facture F1', envelopeFrom?: string | null) {
  const input: AutoReplyInput = {
    headers: new Map(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v])),
    subject,
    envelopeFrom,
  };
  return autoReplyReason(input);
}

describe('automatic answers', () => {
  it('takes a message a person wrote for an answer', () => {
    expect(of({})).toBeNull();
    expect(of({ From: 'marie@client.fr' }, 'Re: Relance facture F1 — payée hier', 'marie@client.fr')).toBeNull();
    expect(of({}, 'Re: Votre relance : je suis de retour, paiement fait')).toBeNull();
    expect(of({}, '')).toBeNull();
  });

  it('reads Auto-Submitted as RFC 3834 says: any value but "no"', () => {
    for (const value of [
      'auto-replied',
      'auto-generated',
      'auto-notified',
      'Auto-Replied',
      'auto-replied; owner-email="x@y.fr"',
    ])
      expect(of({ 'Auto-Submitted': value }), value).toBe('auto_submitted');
    expect(of({ 'Auto-Submitted': 'no' })).toBeNull();
    expect(of({ 'Auto-Submitted': 'No ; comment' })).toBeNull();
    expect(of({ 'Auto-Submitted': '' })).toBeNull();
  });

  it('recognises the autoresponders’ own headers', () => {
    expect(of({ 'X-Autoreply': 'yes' })).toBe('x_autoreply');
    expect(of({ 'X-Autoreply': 'no' })).toBeNull();
    expect(of({ 'X-Autorespond': 'Absence' })).toBe('x_autorespond');
    expect(of({ 'X-Auto-Response-Suppress': 'All' })).toBe('auto_response_suppress');
    expect(of({ 'X-Auto-Response-Suppress': 'OOF, AutoReply' })).toBe('auto_response_suppress');
    expect(of({ 'X-Auto-Response-Suppress': 'None' })).toBeNull();
  });

  it('takes Precedence auto_reply, bulk and junk for automatic, not list', () => {
    for (const value of ['auto_reply', 'bulk', 'junk', 'BULK'])
      expect(of({ Precedence: value }), value).toBe('precedence');
    expect(of({ Precedence: 'list' })).toBeNull();
    expect(of({ Precedence: 'first-class' })).toBeNull();
  });

  it('takes the null envelope sender for automatic', () => {
    expect(of({}, 'Re: F1', '')).toBe('null_sender');
    expect(of({}, 'Re: F1', null)).toBeNull();
  });

  it('recognises out-of-office subjects in French and English, accents and case aside', () => {
    for (const subject of [
      'Réponse automatique : Relance facture F1',
      'REPONSE AUTOMATIQUE: Relance',
      'Absence du bureau',
      'Absente du bureau jusqu’au 3 mars',
      "Message d'absence",
      'Message d’absence : Relance',
      'Out of Office: Reminder F1',
      'Out of the office until Monday',
      'Automatic reply: Reminder F1',
      'Auto-Reply: Reminder',
      'AutoReply',
      'Abwesenheitsnotiz: Zahlungserinnerung',
    ])
      expect(of({}, subject), subject).toBe('subject');
  });

  it('names the first sign found, headers before the subject', () => {
    expect(of({ 'Auto-Submitted': 'auto-replied', Precedence: 'bulk' }, 'Out of office')).toBe('auto_submitted');
    expect(of({ Precedence: 'bulk' }, 'Out of office')).toBe('precedence');
  });
});
