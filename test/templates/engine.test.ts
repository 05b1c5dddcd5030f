import { describe, expect, it } from 'vitest';
import { translator } from '../../src/i18n/index.ts';
import { sampleMessageContext } from '../../src/communications/sample-context.ts';
import type { MessageContext } from '../../src/communications/message-context.ts';
import { AppError } from '../../src/shared/errors.ts';
import {
  LIMITS,
  parseTemplate,
  renderTemplate,
  TemplateRenderError,
  TemplateSyntaxError,
} from '../../src/templates/engine.ts';
import { renderMessage } from '../../src/templates/render.ts';
import { templateScope } from '../../src/templates/scope.ts';

const context = sampleMessageContext('fr', 2);
const scope = templateScope(context);
const text = (source: string, strict = true) => renderTemplate(source, 'text', scope, { strict });
const html = (source: string, strict = true) => renderTemplate(source, 'html', scope, { strict });
const message = (
  fields: Partial<Record<'subject' | 'text' | 'html' | 'letter', string>>,
  ctx: MessageContext = context,
) => renderMessage({ subject: '', text: '', html: '', letter: '', ...fields }, ctx, { strict: true });

function renderError(run: () => unknown): TemplateRenderError | TemplateSyntaxError | AppError {
  try {
    run();
  } catch (error) {
    if (error instanceof TemplateRenderError || error instanceof TemplateSyntaxError || error instanceof AppError)
      return error;
    throw error;
  }
  throw new Error('expected the template to fail');
}

describe('template sandbox', () => {
  it("reads only the context's own fields, never a prototype", () => {
    for (const source of [
      '{{ customer.constructor }}',
      '{{ company.__proto__ }}',
      '{{ customer.hasOwnProperty }}',
      '{{ invoices.constructor.name }}',
      '{{ references.constructor }}',
      '{{ totals.due.constructor }}',
      '{{ totals.due.__proto__ }}',
      '{{ invoices.first.total.__proto__.constructor }}',
    ]) {
      expect(renderError(() => text(source)).message, source).toMatch(/undefined variable/);
      expect(text(source, false), source).toBe('');
    }
    expect(text('{{ customer.name }}')).toBe('Boulangerie Martin & Fils');
  });

  it('cannot read files: include, render and layout are refused when the template is parsed, with the line', () => {
    for (const tag of ['include', 'render', 'layout']) {
      const error = renderError(() => parseTemplate(`Bonjour\n{% ${tag} '/etc/passwd' %}`, 'text'));
      expect(error).toBeInstanceOf(TemplateSyntaxError);
      expect((error as TemplateSyntaxError).issue).toMatchObject({
        line: 2,
        reason: expect.stringMatching(/not allowed/),
      });
    }
  });

  it('stops a runaway loop, a growing string and an oversized template', () => {
    const started = Date.now();
    const loop = renderError(() =>
      text('{% for i in (1..100000000) %}{% for j in (1..100000000) %}x{% endfor %}{% endfor %}'),
    );
    expect(loop.message).toMatch(/limit exceeded/);
    const growth = renderError(() =>
      text(
        '{% assign s = "aaaaaaaaaa" %}{% for i in (1..60) %}{% assign s = s | append: s %}{% endfor %}{{ s | size }}',
      ),
    );
    expect(growth.message).toMatch(/limit exceeded/);
    expect(Date.now() - started).toBeLessThan(LIMITS.renderMs * 4);
    const huge = renderError(() => parseTemplate('x'.repeat(LIMITS.parse + 1), 'text'));
    expect(huge.message).toMatch(/limit exceeded/);
  });

  it('gives a message being sent a second, longer try when its render ran over time; a preview gets none', () => {
    const source = 'Factures {{ references }} : {{ totals.due }}';
    const expected = text(source);
    const limits = LIMITS as { renderMs: number };
    const strict = limits.renderMs;
    // Every first render is over its bound, as on a loaded machine or across a garbage-collection pause.
    limits.renderMs = -1;
    try {
      expect(renderTemplate(source, 'text', scope, { strict: true, sending: true })).toBe(expected);
      expect(renderError(() => text(source)).message).toMatch(/render limit exceeded/);
      // The bounds that do not depend on the machine's load still stop a runaway loop being sent.
      const loop = '{% for i in (1..100000000) %}{% for j in (1..100000000) %}x{% endfor %}{% endfor %}';
      const sending = renderError(() => renderTemplate(loop, 'text', scope, { strict: true, sending: true }));
      expect(sending.message).toMatch(/limit exceeded/);
    } finally {
      limits.renderMs = strict;
    }
  });

  it('refuses unknown filters when parsing', () => {
    const error = renderError(() => parseTemplate('a\nb\n{{ customer.name | shout }}', 'text')) as TemplateSyntaxError;
    expect(error.issue).toMatchObject({ line: 3, column: 1, reason: 'undefined filter: shout' });
  });
});

describe('rendering a message', () => {
  it('escapes values in the HTML body but not in the subject, text or letter', () => {
    const evil: MessageContext = {
      ...context,
      customer: { ...context.customer, name: '<script>alert("x")</script> & Fils' },
    };
    const out = message(
      {
        subject: 'Pour {{ customer.name }}',
        text: 'Client : {{ customer.name }}',
        html: '<p>Client : {{ customer.name }}</p>',
        letter: '{{ customer.name }}',
      },
      evil,
    );
    expect(out.html).toBe('<p>Client : &lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; Fils</p>');
    expect(out.subject).toBe('Pour <script>alert("x")</script> & Fils');
    expect(out.text).toBe('Client : <script>alert("x")</script> & Fils');
    expect(out.letter).toBe('<script>alert("x")</script> & Fils');
    expect(html('{{ "<b>ok</b>" | raw }}')).toBe('<b>ok</b>');
  });

  it('replaces the legacy #REF# macro with the invoice numbers everywhere, escaped in HTML', () => {
    const out = message({
      subject: 'Relance #REF#',
      text: 'Factures #REF#.',
      html: '<p>#REF#</p>',
      letter: 'Réf. #REF#',
    });
    expect(out.subject).toBe('Relance FA-2026-0042, FA-2026-0057');
    expect(out.text).toBe('Factures FA-2026-0042, FA-2026-0057.');
    expect(out.html).toBe('<p>FA-2026-0042, FA-2026-0057</p>');
    expect(out.letter).toBe('Réf. FA-2026-0042, FA-2026-0057');
    const amp = message({ html: '#REF#' }, { ...context, references: 'A&B' });
    expect(amp.html).toBe('A&amp;B');
  });

  it('makes a variable that does not exist an error naming it, its field and its line, never a blank', () => {
    const error = renderError(() => message({ text: 'Bonjour,\n\nVous devez {{ totals.du }}.' })) as AppError;
    expect(error).toBeInstanceOf(AppError);
    expect(error.message).toMatch(/text, line 3: undefined variable: totals\.du/);
    expect(error.issues).toMatchObject([{ field: 'text', line: 3, reason: 'undefined variable: totals.du' }]);
    // Without strict (the editor while typing) it renders blank; with it, optional fields stay usable in conditions.
    expect(
      renderMessage({ subject: '', text: '{{ totals.du }}', html: '', letter: '' }, context, { strict: false }).text,
    ).toBe('');
    expect(text('{% if payment.deadline %}avant le {{ payment.deadlineText }}{% else %}sans délai{% endif %}')).toBe(
      'sans délai',
    );
    // A misspelt name in a condition fails too, rather than silently dropping a paragraph.
    expect(renderError(() => text('{% if totals.interet.cents > 0 %}Intérêts{% endif %}')).message).toMatch(
      /undefined variable: totals\.interet/,
    );
    expect(text('{% if contact %}{{ contact.name }}{% endif %}|{{ contact.name | default: "Madame, Monsieur" }}')).toBe(
      'Élodie Martin|Élodie Martin',
    );
    const noContact = templateScope({ ...context, contact: null });
    expect(
      renderTemplate(
        '{% if contact %}x{% else %}Madame, Monsieur{% endif %} {{ contact.name | default: "?" }}',
        'text',
        noContact,
        { strict: true },
      ),
    ).toBe('Madame, Monsieur ?');
  });

  it('refuses to print a group of fields rather than sending "[object Object]"', () => {
    expect(renderError(() => text('{{ customer.address }}')).message).toMatch(/group of fields/);
    expect(text('{{ customer.address.block | join: " / " }}')).toBe(
      'Zone artisanale des Prés / 3 allée des Tilleuls / 69003 Lyon',
    );
  });

  it("prints amounts and dates in the customer's language, French with no-break spaces", () => {
    expect(text('{{ totals.due }}|{{ totals.due.cents }}')).toBe('1\u00a0534,56\u00a0€|153456');
    expect(text('{{ 123456 | money }} {{ invoices.first.dueDate | date }}')).toBe('1\u00a0234,56\u00a0€ 30/01/2026');
    expect(text('{% if totals.due.cents > 100000 %}gros{% endif %}')).toBe('gros');
    expect(text('{{ totals.due | append: "!" }} {{ invoices.last.balance | upcase }}')).toBe(
      '1\u00a0534,56\u00a0€! 300,00\u00a0€',
    );
    const english = templateScope(sampleMessageContext('en', 2));
    expect(
      renderTemplate(
        '{{ totals.due }} {{ invoices.first.dueDate | date }} {{ 5000 | money: "GBP" }}',
        'text',
        english,
        { strict: true },
      ),
    ).toBe('€1,534.56 30 January 2026 £50.00');
    expect(text('{{ totals.due }}')).not.toContain('\u202f');
    const yen = templateScope({ ...context, currency: 'JPY' });
    expect(renderTemplate('{{ 5000 | money }}', 'text', yen, { strict: true })).toBe('5\u00a0000\u00a0JPY');
    expect(renderError(() => text('{{ 5000 | money: "EURO" }}')).message).toMatch(/EURO is not a currency code/);
  });

  it('keeps a subject on one line so no header can be injected', () => {
    const out = message({ subject: 'Relance\r\nBcc: victim@example.com\n{{ customer.code }}' });
    expect(out.subject).toBe('Relance Bcc: victim@example.com CLI-0042');
    expect(message({ subject: '  {{ totals.due }}\u2028x\n' }).subject).toBe('1\u00a0534,56\u00a0€ x');
  });

  it("gives templates the fields added to the contract later even when a caller's context lacks them", () => {
    const notice = sampleMessageContext('fr', 4);
    const { quotes: _quotes, ...older } = { ...notice, payment: { ...notice.payment, deadlineDays: undefined } };
    expect(
      renderTemplate('{{ payment.deadlineDays }} jours, {{ quotes.size }} devis', 'text', templateScope(older), {
        strict: true,
      }),
    ).toBe('8 jours, 0 devis');
  });

  it('parses each distinct template once, so a batch of renders reuses it', () => {
    const source = `Cache ${Math.random()} {{ customer.name }}`;
    expect(parseTemplate(source, 'text')).toBe(parseTemplate(source, 'text'));
    expect(parseTemplate(source, 'html')).not.toBe(parseTemplate(source, 'text'));
  });
});

describe("a template's own refusals", () => {
  it('are catalogue codes, said in the reader language, not in liquid English', () => {
    const issueOf = (run: () => unknown) => (renderError(run) as TemplateRenderError).issue;
    const cases: [() => unknown, string, string][] = [
      [
        () => parseTemplate("{% include 'x' %}", 'text'),
        'template.reason.fileTag',
        "la balise « include » n'est pas permise",
      ],
      [() => text('{{ customer.address }}'), 'template.reason.group', 'affiche un groupe de champs'],
      [() => text('{{ 5000 | money: "EURO" }}'), 'template.reason.notCurrency', "« EURO » n'est pas un code de devise"],
      [() => text('{{ "12.5" | money }}'), 'template.reason.notCents', "n'est pas un montant en centimes"],
      [() => text('{{ "demain" | date }}'), 'template.reason.notDate', "« demain » n'est pas une date"],
      [() => parseTemplate('x'.repeat(LIMITS.parse + 1), 'text'), 'template.reason.tooBig', 'trop gros'],
    ];
    for (const [run, code, french] of cases) {
      const issue = issueOf(run);
      expect(issue.code, issue.reason).toBe(code);
      expect(translator('fr')(issue.code, issue.params), code).toContain(french);
    }
  });
});
