import { describe, expect, it } from 'vitest';
import { sampleMessageContext } from '../../src/communications/sample-context.ts';
import { defaultTemplate } from '../../src/templates/defaults.ts';
import { renderTemplate, TemplateRenderError, type Mode } from '../../src/templates/engine.ts';
import { fastRenderCounts } from '../../src/templates/fast-render.ts';
import { TEMPLATE_FIELDS, TEMPLATE_KEYS, TEMPLATE_LANGUAGES } from '../../src/templates/keys.ts';
import { templateScope } from '../../src/templates/scope.ts';

const MODES = { subject: 'text', text: 'text', html: 'html', letter: 'text' } as const;

/** The strict render (the fast path when it can) and liquidjs's own (a lenient render never takes the fast path). */
function both(source: string, mode: Mode, scope: Record<string, unknown>) {
  const before = { ...fastRenderCounts };
  const fast = renderTemplate(source, mode, scope, { strict: true, sending: true });
  const tookFast = fastRenderCounts.fast > before.fast;
  // The send-time bound for liquidjs too: 60,000 nodes below can take over the 1 s preview bound on a busy machine.
  return { fast, liquid: renderTemplate(source, mode, scope, { strict: false, sending: true }), tookFast };
}

describe('fast render', () => {
  it('renders every default template as liquidjs does, in both languages, at every level, without liquidjs', () => {
    let fields = 0;
    for (const language of TEMPLATE_LANGUAGES)
      for (const level of [0, 1, 2, 3, 4, 5]) {
        const context = sampleMessageContext(language, level);
        const variants = [
          context,
          // One invoice, no contact, nothing late, no IBAN: the other side of each condition.
          {
            ...context,
            invoices: context.invoices.slice(0, 1).map((i) => ({ ...i, daysOverdue: 0 })),
            contact: null,
            company: { ...context.company, iban: null, bic: null },
          },
        ];
        for (const variant of variants) {
          const scope = templateScope(variant as typeof context);
          for (const key of TEMPLATE_KEYS) {
            const template = defaultTemplate(key, language);
            for (const field of TEMPLATE_FIELDS) {
              const { fast, liquid, tookFast } = both(template[field], MODES[field], scope);
              expect(fast, `${key} ${language} ${level} ${field}`).toBe(liquid);
              expect(tookFast, `${key} ${language} ${field} rendered by liquidjs`).toBe(true);
              fields++;
            }
          }
        }
      }
    expect(fields).toBeGreaterThan(500);
  });

  it('reads, compares and loops as liquidjs does', () => {
    const scope = templateScope(sampleMessageContext('fr', 2));
    const sources = [
      '{% for invoice in invoices %}{{ forloop.index }}/{{ forloop.length }}{% if forloop.first %}F{% endif %}{% unless forloop.last %},{% endunless %}{{ forloop.rindex0 }}{% endfor %}',
      '{{ invoices.size }} {{ invoices.first.number }} {{ invoices.last.number }} {{ invoices[0].number }} {{ invoices[-1].number }}',
      '{% if contact and customer.kind == "company" %}a{% elsif contact or nil %}b{% else %}c{% endif %}',
      '{% if contact == nil %}nil{% endif %}{% if quotes == empty %}empty{% endif %}{% if contact != blank %}set{% endif %}',
      '{% if references contains "F" %}has{% endif %}',
      '{% if totals.due.cents > 100 and invoices.size >= 1 %}big {{ totals.due }}{% endif %}',
      '{% for i in quotes %}q{% else %}no quotes{% endfor %}{% unless contact %}x{% elsif invoices %}y{% endunless %}',
      '{{ 5000 | money: "GBP", "en" }} {{ invoices.first.dueDate | date }} {{ totals.due | money }} {{ 12 }} {{ "a" }}',
      '{{- company.legalName -}}  \n {%- if true %} <b>{{ customer.name }}</b>{% endif %}',
      '{% for invoice in invoices %}{% for again in invoices %}{{ invoice.number }}{{ again.number }}{% endfor %}{% endfor %}',
    ];
    for (const source of sources)
      for (const mode of ['text', 'html'] as const) {
        const { fast, liquid } = both(source, mode, scope);
        expect(fast, source).toBe(liquid);
      }
  });

  it('leaves to liquidjs what it does not do, and every error, with the same text', () => {
    const scope = templateScope(sampleMessageContext('en', 1));
    for (const source of [
      '{{ customer.name | upcase }}',
      '{% assign x = customer.name %}{{ x }}',
      '{% for i in (1..3) %}{{ i }}{% endfor %}',
      '{% for invoice in invoices limit: 1 %}{{ invoice.number }}{% endfor %}',
      '{% for c in customer.name %}{{ c }}{% endfor %}',
      '{% capture t %}{{ customer.code }}{% endcapture %}{{ t }}',
    ]) {
      const { fast, liquid, tookFast } = both(source, 'text', scope);
      expect(fast, source).toBe(liquid);
      expect(tookFast, source).toBe(false);
    }
    for (const source of [
      '{{ customer.nmae }}',
      '{{ customer }}',
      '{{ customer.constructor }}',
      '{{ 5 | money: "EURO" }}',
    ]) {
      const error = (() => {
        try {
          renderTemplate(source, 'text', scope, { strict: true, sending: true });
        } catch (e) {
          return e as TemplateRenderError;
        }
        throw new Error(`${source} rendered`);
      })();
      expect(error).toBeInstanceOf(TemplateRenderError);
      expect(error.issue.reason.length).toBeGreaterThan(0);
    }
  });

  it('leaves a render past its bounds to liquidjs', () => {
    const many = { items: Array.from({ length: 60_000 }, (_, i) => i) };
    const { fast, tookFast } = both('{% for i in items %}{{ i }}{% if i %}{% endif %}{% endfor %}', 'text', many);
    expect(tookFast).toBe(false);
    expect(fast.length).toBeGreaterThan(60_000);
  });
});
