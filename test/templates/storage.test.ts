import { translator } from '../../src/i18n/index.ts';
import { describe, expect, it } from 'vitest';
import { createCompany } from '../../src/storage/companies.ts';
import { getTemplate, listTemplates, loadTemplates, resetTemplate, saveTemplate } from '../../src/templates/stored.ts';
import { defaultTemplate } from '../../src/templates/defaults.ts';
import { TEMPLATE_KEYS } from '../../src/templates/keys.ts';
import { dialects } from '../support/stores.ts';
import { expectAppError, useStore } from '../repositories/helpers.ts';

describe.each(dialects)('template storage on %s', (dialect) => {
  const store = useStore(dialect);

  it('overrides a built-in template for one company and language, then resets it', async () => {
    const { db } = store();
    const a = await createCompany(db, { legalName: 'A' });
    const b = await createCompany(db, { legalName: 'B' });
    expect(await getTemplate(db, a.id, 'relance1', 'fr')).toEqual({
      ...defaultTemplate('relance1', 'fr'),
      custom: false,
      updatedAt: null,
    });
    const saved = await saveTemplate(db, a.id, {
      key: 'relance1',
      language: 'fr',
      subject: 'Relance #REF# – {{ company.legalName }}',
    });
    expect(saved).toMatchObject({
      custom: true,
      subject: 'Relance #REF# – {{ company.legalName }}',
      text: defaultTemplate('relance1', 'fr').text,
    });
    // Saving again replaces the company's version (one row per company, kind and language).
    await saveTemplate(db, a.id, {
      key: 'relance1',
      language: 'fr',
      letter: 'Madame, Monsieur,\n\nÀ régler : {{ totals.due }}.',
    });
    const current = await getTemplate(db, a.id, 'relance1', 'fr');
    expect(current).toMatchObject({
      custom: true,
      subject: 'Relance #REF# – {{ company.legalName }}',
      letter: 'Madame, Monsieur,\n\nÀ régler : {{ totals.due }}.',
    });
    expect((await getTemplate(db, a.id, 'relance1', 'en')).custom).toBe(false);
    expect((await getTemplate(db, b.id, 'relance1', 'fr')).custom).toBe(false);
    const list = await listTemplates(db, a.id);
    expect(list).toHaveLength(TEMPLATE_KEYS.length * 2);
    expect(list.filter((t) => t.custom).map((t) => `${t.key}/${t.language}`)).toEqual(['relance1/fr']);
    const lookup = await loadTemplates(db, a.id);
    expect(lookup('relance1', 'fr').letter).toBe(current.letter);
    expect(lookup('relance2', 'fr')).toMatchObject({ custom: false });
    expect(await resetTemplate(db, a.id, 'relance1', 'fr')).toMatchObject({
      custom: false,
      subject: defaultTemplate('relance1', 'fr').subject,
    });
    expect((await getTemplate(db, a.id, 'relance1', 'fr')).custom).toBe(false);
  });

  it('refuses a template that does not parse, with the field, line and reason, and keeps the previous one', async () => {
    const { db } = store();
    const company = await createCompany(db, { legalName: 'A' });
    await saveTemplate(db, company.id, { key: 'relance2', language: 'fr', subject: 'Avant' });
    const error = await expectAppError(
      saveTemplate(db, company.id, {
        key: 'relance2',
        language: 'fr',
        subject: 'Après',
        html: '<p>Bonjour</p>\n<p>{% if contact %}{{ contact.name }}</p>\n<p>Fin</p>',
      }),
      'invalid_input',
      /html, line 2: tag \{% if contact %\} not closed/,
    );
    expect(error.issues).toMatchObject([{ field: 'html', line: 2, reason: 'tag {% if contact %} not closed' }]);
    expect((await getTemplate(db, company.id, 'relance2', 'fr')).subject).toBe('Avant');
    const many = await expectAppError(
      saveTemplate(db, company.id, {
        key: 'relance2',
        language: 'fr',
        subject: '{{ oops',
        letter: 'a\nb\n{% for x in %}',
      }),
      'invalid_input',
    );
    expect(many.issues.map((i) => [i.field, i.line])).toEqual([
      ['subject', 1],
      ['letter', 3],
    ]);
    const empty = await expectAppError(
      saveTemplate(db, company.id, { key: 'relance2', language: 'fr', subject: '  ', html: '' }),
      'invalid_input',
      /subject: must not be empty/,
    );
    expect(empty.issues).toEqual([{ field: 'subject', reason: 'must not be empty', code: 'template.reason.empty' }]);
  });

  it('refuses a variable that does not exist, naming it, rather than sending a blank later', async () => {
    const { db } = store();
    const company = await createCompany(db, { legalName: 'A' });
    const error = await expectAppError(
      saveTemplate(db, company.id, {
        key: 'mise-en-demeure',
        language: 'en',
        text: 'Dear customer,\n\nPay {{ totals.balanse }} by {{ payment.deadlineText }}.',
      }),
      'invalid_input',
      /text, line 3: undefined variable: totals\.balanse/,
    );
    expect(error.issues).toMatchObject([{ field: 'text', line: 3, reason: 'undefined variable: totals.balanse' }]);
    // A French reader gets the refusal in French, from its catalogue key.
    expect(translator('fr')(error.messageKey!, error.params)).toBe(
      "Modèle mise-en-demeure (en) refusé : texte, ligne 3 : la variable « totals.balanse » n'existe pas.",
    );
    // Quote variables exist for every kind, as do the optional ones that are null for some messages.
    await saveTemplate(db, company.id, {
      key: 'relance-devis',
      language: 'fr',
      text: '{% for quote in quotes %}{{ quote.number }}{% endfor %} {{ payment.link }} {{ payment.deadlineText }}',
    });
  });

  it('refuses unknown kinds and languages', async () => {
    const { db } = store();
    const company = await createCompany(db, { legalName: 'A' });
    await expectAppError(
      saveTemplate(db, company.id, { key: 'relance9', language: 'fr', subject: 'x' }),
      'invalid_input',
      /"relance9" is not a template/,
    );
    await expectAppError(
      getTemplate(db, company.id, 'relance1', 'de'),
      'invalid_input',
      /"de" is not a template language/,
    );
  });
});
