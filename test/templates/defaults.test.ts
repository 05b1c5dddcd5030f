import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { sampleMessageContext } from '../../src/communications/sample-context.ts';
import type { MessageContext } from '../../src/communications/message-context.ts';
import { defaultPolicy, parsePolicy } from '../../src/domain/dunning/policy.ts';
import { defaultTemplate } from '../../src/templates/defaults.ts';
import { TEMPLATE_KEYS, templateKeyForStep } from '../../src/templates/keys.ts';
import { renderMessage } from '../../src/templates/render.ts';
import { VARIABLES } from '../../src/templates/variables.ts';
import { variablesMarkdown } from '../../src/templates/variables-doc.ts';
import { lawTexts } from '../../src/documents/law-texts.ts';
import type { Law, NextStep } from '../../src/domain/late-payment/law.ts';

/** The context of a consumer, or of another law: the law's wording follows, as load-context.ts builds it. */
function under(
  context: MessageContext,
  kind: 'company' | 'individual',
  law: Law = 'FR',
  nextStep: NextStep = 'fr_injunction',
): MessageContext {
  return {
    ...context,
    customer: { ...context.customer, kind },
    law: lawTexts({ law, kind, language: context.language, basis: { kind: 'ecb', points: 10, bp: 1240 }, nextStep }),
  };
}

function single(context: MessageContext): MessageContext {
  return { ...context, invoices: context.invoices.slice(0, 1), references: context.invoices[0]!.number };
}

describe('built-in templates', () => {
  it('render every kind, language and level strictly, with nothing left unexpanded', () => {
    for (const language of ['fr', 'en'] as const) {
      for (const key of TEMPLATE_KEYS) {
        for (const level of [0, 1, 2, 3, 4]) {
          const out = renderMessage(defaultTemplate(key, language), sampleMessageContext(language, level), {
            strict: true,
          });
          for (const [field, value] of Object.entries(out)) {
            const where = `${key}/${language}/${level}/${field}`;
            expect(value.trim().length, where).toBeGreaterThan(10);
            expect(value, where).not.toMatch(/\[object|undefined|NaN|\{\{|\{%|#REF#/);
          }
          expect(out.letter, `${key}/${language}`).not.toMatch(/<[a-z]/i);
          expect(out.html, `${key}/${language}`).toMatch(/^<!DOCTYPE html>/);
          expect(out.subject).not.toMatch(/\n/);
        }
      }
    }
  });

  it('leave no hole where an optional paragraph is left out (consumer, no bank details, no payment link)', () => {
    for (const language of ['fr', 'en'] as const) {
      const sample = sampleMessageContext(language, 3);
      const bare: MessageContext = {
        ...under(sample, 'individual'),
        company: { ...sample.company, iban: null, bic: null },
        payment: { ...sample.payment, link: null },
        portalUrl: null,
      };
      for (const key of TEMPLATE_KEYS) {
        const out = renderMessage(defaultTemplate(key, language), bare);
        expect(out.text, key).not.toMatch(/\n\n\n|IBAN|40 €|L441-10/);
        expect(out.letter, key).not.toMatch(/\n\n\n/);
        expect(out.html, key).not.toMatch(/<p[^>]*>\s*<\/p>|IBAN|href=/);
      }
    }
  });

  it('write the formal notice a French court expects: notice, deadline from receipt, the law, injonction de payer', () => {
    const context = sampleMessageContext('fr', 4);
    const out = renderMessage(defaultTemplate('mise-en-demeure', 'fr'), context, { strict: true });
    expect(out.subject).toBe('Mise en demeure de payer – factures FA-2026-0042, FA-2026-0057');
    for (const body of [out.text, out.letter]) {
      expect(body).toContain(
        'nous vous mettons en demeure de nous régler, dans un délai de 8 jours à compter de la réception de ce ' +
          'courrier, la somme de 1\u00a0534,56\u00a0€',
      );
      expect(body).toContain('articles L441-10 et D441-5 du Code de commerce');
      expect(body).toContain('indemnité forfaitaire pour frais de recouvrement de 40\u00a0€ par facture');
      expect(body).toContain('une requête en injonction de payer devant le tribunal compétent');
      expect(body).toContain('article 1344 du Code civil');
      // The simplified procedure needs the debtor's consent and is paid by the creditor: never threatened.
      expect(body).not.toMatch(/procédure simplifiée|à votre charge|majorée/);
    }
    expect(out.letter).toMatch(/^Madame, Monsieur,/);
    expect(out.letter).toMatch(/salutations distinguées\.\n$/);
    // A consumer owes no 40 € indemnity and is told of no recovery costs; the notice makes legal interest run instead.
    const consumer = renderMessage(defaultTemplate('mise-en-demeure', 'fr'), under(context, 'individual'), {
      strict: true,
    });
    expect(consumer.letter).not.toMatch(/40 €|frais|à votre charge/);
    expect(consumer.letter).toContain('article 1231-6 du Code civil');
  });

  it('claim principal, interest to the letter date at the rate quoted, indemnity and their sum once, with charges claimed', () => {
    const sample = sampleMessageContext('fr', 4);
    const money = (cents: number) => ({ cents, text: `${(cents / 100).toFixed(2).replace('.', ',')}\u00a0€` });
    const claimed: MessageContext = {
      ...under(sample, 'company'),
      level: { ...sample.level, charges: true },
      totals: {
        ...sample.totals,
        balance: money(100_000),
        interest: money(1_234),
        indemnity: money(4_000),
        due: money(105_234),
      },
    };
    const out = renderMessage(defaultTemplate('mise-en-demeure', 'fr'), claimed, { strict: true });
    for (const expected of [
      'la somme de 1052,34\u00a0€, soit :',
      '- principal : 1000,00\u00a0€ ;',
      '- intérêts de retard arrêtés au 16/03/2026, au taux BCE majoré de 10 points, soit 12,40\u00a0% : 12,34\u00a0€ ;',
      '- indemnité forfaitaire pour frais de recouvrement de 40\u00a0€ par facture : 40,00\u00a0€ ;',
      '- total : 1052,34\u00a0€,',
      "outre les pénalités à courir jusqu'au complet paiement, et sans préjudice d'une indemnisation complémentaire sur " +
        "justification (l'article L441-10 du Code de commerce).",
    ]) {
      expect(out.letter).toContain(expected);
    }
    expect(out.letter).not.toMatch(/majorée/);
    // English, for a debtor in the UK: the county court, in English words.
    const english = sampleMessageContext('en', 4);
    const uk = renderMessage(
      defaultTemplate('mise-en-demeure', 'en'),
      { ...under(english, 'company', 'FR', 'uk_county_court'), level: { ...english.level, charges: true } },
      { strict: true },
    );
    expect(uk.letter).toContain('within 8 days of receipt of this letter');
    expect(uk.letter).toContain('we will start without further notice a county court claim.');
    expect(uk.letter).toContain(
      'in addition to the interest running until payment in full, and without prejudice to further ' +
        'compensation on proof (article L441-10 of the French Commercial Code).',
    );
    expect(uk.letter).not.toMatch(/injonction|at your expense/);
  });

  it('agree in number with the invoices concerned', () => {
    const one = single(sampleMessageContext('fr', 1));
    expect(renderMessage(defaultTemplate('prerelance', 'fr'), one).text).toContain(
      'la facture suivante arrive prochainement à échéance',
    );
    expect(renderMessage(defaultTemplate('prerelance', 'fr'), sampleMessageContext('fr', 1)).text).toContain(
      'les factures suivantes arrivent prochainement à échéance',
    );
    const reminder = renderMessage(defaultTemplate('relance1', 'fr'), single(sampleMessageContext('fr', 2)));
    expect(reminder.subject).toBe('Relance : facture FA-2026-0042 en attente de règlement');
    expect(reminder.text).toContain(
      '- Facture FA-2026-0042 du 31/12/2025, échéance le 30/01/2026 : 1\u00a0234,56\u00a0€ restant dû (45 jours de retard)',
    );
    expect(renderMessage(defaultTemplate('relance1', 'en'), single(sampleMessageContext('en', 2))).subject).toBe(
      'Payment reminder: invoice FA-2026-0042',
    );
  });

  it('greet the contact by name, or Madame, Monsieur without one', () => {
    const context = sampleMessageContext('fr', 2);
    expect(renderMessage(defaultTemplate('relance1', 'fr'), context).text).toMatch(/^Bonjour Élodie Martin,/);
    expect(renderMessage(defaultTemplate('relance1', 'fr'), { ...context, contact: null }).text).toMatch(
      /^Madame, Monsieur,/,
    );
    expect(renderMessage(defaultTemplate('relance1', 'en'), { ...context, contact: null }).text).toMatch(
      /^Dear Sir or Madam,/,
    );
  });

  it('show the payment link and bank details in the HTML body, escaped', () => {
    const out = renderMessage(defaultTemplate('relance1', 'fr'), sampleMessageContext('fr', 2));
    expect(out.html).toContain('href="https://pay.example.fr/atelier-dupont?ref=CLI-0042&amp;amount=1534.56"');
    expect(out.html).toContain('IBAN FR7630006000011234567890189');
    expect(out.text).toContain('Consultez et réglez vos factures en ligne : https://relance.example/portal/exemple');
    expect(out.html).toContain('<a href="https://relance.example/portal/exemple">');
    expect(out.html).toContain('<td style="padding:6px 8px;border-bottom:1px solid #e3e3e3;">FA-2026-0057</td>');
  });

  it('lead every reminder, the quote follow-up included, to the payment page; the thank-you has nothing to ask', () => {
    for (const language of ['fr', 'en'] as const)
      for (const key of TEMPLATE_KEYS) {
        const out = renderMessage(defaultTemplate(key, language), sampleMessageContext(language, 2));
        const shown = key !== 'remerciement';
        expect(out.text.includes('https://relance.example/portal/exemple'), `${key} ${language}`).toBe(shown);
        expect(out.html.includes('<a href="https://relance.example/portal/exemple">'), `${key} ${language}`).toBe(
          shown,
        );
      }
  });
});

describe('variables list', () => {
  it('documents every field of the message context, and nothing else', () => {
    const paths = new Set<string>();
    const walk = (value: unknown, path: string) => {
      if (path && !path.endsWith('[]')) paths.add(path);
      if (Array.isArray(value)) {
        if (typeof value[0] === 'object' && value[0] !== null) walk(value[0], `${path}[]`);
      } else if (value && typeof value === 'object' && !('cents' in value)) {
        for (const [key, field] of Object.entries(value)) walk(field, path ? `${path}.${key}` : key);
      }
    };
    walk(sampleMessageContext('fr', 4), '');
    // Templates see the payment page's address under the name the issue gave it.
    if (paths.delete('portalUrl')) paths.add('portal_url');
    expect(new Set(VARIABLES.map((v) => v.name))).toEqual(paths);
    for (const variable of VARIABLES) expect(variable.fr && variable.en, variable.name).toBeTruthy();
  });

  it('is the reference of docs/templates.md', () => {
    const doc = readFileSync(new URL('../../docs/templates.md', import.meta.url), 'utf8');
    expect(doc.endsWith(variablesMarkdown()), 'regenerate with: relance templates variables --markdown').toBe(true);
  });
});

describe('template of a policy step', () => {
  it("follows the step's own choice, else its place and flags", () => {
    const policy = defaultPolicy();
    expect([0, 1, 2, 3, 4].map((level) => templateKeyForStep(policy, level))).toEqual([
      'standard',
      'prerelance',
      'relance1',
      'relance2',
      'mise-en-demeure',
    ]);
    const long = parsePolicy({
      name: 'long',
      minBalance: '0.00',
      minDaysBetween: 0,
      steps: [
        { label: 'R1', delayDays: 5, from: 'dueDate', channels: ['email'] },
        { label: 'R2', delayDays: 5, from: 'previousStep', channels: ['email'] },
        { label: 'R3', delayDays: 5, from: 'previousStep', channels: ['email'], templates: ['nope', 'relance1'] },
        { label: 'R4', delayDays: 5, from: 'previousStep', channels: ['email'] },
        { label: 'R5', delayDays: 5, from: 'previousStep', channels: ['email'] },
      ],
    });
    expect([1, 2, 3, 4, 5, 6].map((level) => templateKeyForStep(long, level))).toEqual([
      'relance1',
      'relance2',
      'relance1',
      'relance3',
      'relance3',
      'relance3',
    ]);
  });
});
