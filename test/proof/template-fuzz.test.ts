import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sampleMessageContext } from '../../src/communications/sample-context.ts';
import { AppError } from '../../src/shared/errors.ts';
import { LIMITS, renderTemplate, TemplateRenderError, TemplateSyntaxError } from '../../src/templates/engine.ts';
import { templateScope } from '../../src/templates/scope.ts';

/**
 * Property: any template built from hostile fragments (prototype paths, file tags, huge loops, doubling
 * strings, odd filters, broken syntax) either renders within the limits or is refused with the
 * engine's own error; it never shows a function, the process, the environment or a file.
 */
const scope = templateScope(sampleMessageContext('fr', 3));
const fragment = fc.constantFrom(
  'Bonjour {{ customer.name }}',
  '{{ customer.constructor }}',
  '{{ customer.__proto__ }}',
  '{{ company.constructor.constructor }}',
  "{{ company.constructor.constructor('return process')() }}",
  '{{ invoices.first.total.__proto__ }}',
  '{{ process.env.HOME }}',
  '{{ global }}',
  '{{ this }}',
  "{% include '/etc/passwd' %}",
  "{% render 'x' %}",
  "{% layout 'y' %}",
  '{% raw %}{{ x }}{% endraw %}',
  '{% for i in (1..100000000) %}x{% endfor %}',
  '{% for i in invoices %}{{ i.number }} {{ i.balance }}{% endfor %}',
  '{% assign s = "abcdefghij" %}{% for i in (1..40) %}{% assign s = s | append: s %}{% endfor %}{{ s | size }}',
  '{{ "x" | prepend: "<script>" }}',
  '{{ customer.name | upcase | truncate: 3 }}',
  '{{ totals.due }}',
  '{{ references }}',
  '{{ customer.name | shout }}',
  '{% if customer.name == "a" %}',
  '{% endif %}',
  '{{',
  '}}',
  '{%',
  '%}',
  '{% comment %}',
  '#REF#',
  '{{ "now" | date: "%Y" }}',
  '{{ 1 | divided_by: 0 }}',
  '{{ invoices | map: "constructor" | join }}',
  '{{ invoices.size }}',
  '{% capture c %}{{ customer }}{% endcapture %}{{ c }}',
  '{% cycle "a", "b" %}',
  '{% tablerow i in (1..100000) %}{{ i }}{% endtablerow %}',
  '{% liquid assign a = "x" %}',
  '{% echo customer.name %}',
  "{{ 'x' | replace: 'x', 'yy' }}",
);
const template = fc
  .array(fc.oneof({ weight: 4, arbitrary: fragment }, fc.string({ maxLength: 12 })), { minLength: 1, maxLength: 6 })
  .map((parts) => parts.join('\n'));

describe('template sandbox under fuzzed templates (fast-check)', () => {
  for (const kind of ['text', 'html'] as const) {
    it(`${kind}: renders within the limits or is refused; never a function, the process or a file`, () => {
      const outcomes = { rendered: 0, refused: 0 };
      fc.assert(
        fc.property(template, fc.boolean(), (source, strict) => {
          const started = Date.now();
          let out: string;
          try {
            out = renderTemplate(source, kind, scope, { strict });
            outcomes.rendered++;
          } catch (error) {
            const known =
              error instanceof TemplateRenderError || error instanceof TemplateSyntaxError || error instanceof AppError;
            expect(known, `${source}: ${(error as Error).stack}`).toBe(true);
            outcomes.refused++;
            return;
          } finally {
            expect(Date.now() - started, source).toBeLessThan(LIMITS.renderMs * 4 + 500);
          }
          expect(out, source).not.toMatch(/function|\[native code\]|\[object |root:x:0|process|\/home\/|\/root/);
          if (process.env.HOME)
            expect(out.includes(process.env.HOME) && !source.includes(process.env.HOME), source).toBe(false);
          if (kind === 'html') expect(out, source).not.toContain('<script>');
        }),
        { numRuns: 200, seed: 20261125 },
      );
      expect(outcomes.rendered).toBeGreaterThan(0);
      expect(outcomes.refused).toBeGreaterThan(0);
    }, 120_000);
  }
});
