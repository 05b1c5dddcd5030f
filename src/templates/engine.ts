import { Liquid, Tag, type Template } from 'liquidjs';
import { formatDateText } from '../communications/format.ts';
import { isIsoDate } from '../domain/calendar.ts';
import type { Language } from '../domain/ledger.ts';
import { formatMoney, isCurrencyCode } from '../domain/money.ts';
import { fastRender } from './fast-render.ts';

/**
 * The liquid engine, sandboxed: templates are written by users (and, through the API, by anyone with a
 * company account), so they may read only the message context's own fields, never a prototype, never a
 * file, and a loop or a growing string cannot hold a worker for long or fill its memory.
 */
export const LIMITS = {
  /** Characters of one template field. */
  parse: 100_000,
  /**
   * Milliseconds of one render, by the wall clock: what a preview or a save of a template may take. It stops a
   * hostile template, but a busy machine or a garbage-collection pause can take a legitimate render over it too.
   */
  renderMs: 1_000,
  /**
   * Milliseconds of one render of a message being sent (a run, a send): a stored template already passed the
   * strict bound when it was saved, so one render slowed by a busy machine must not fail the whole run.
   */
  sendRenderMs: 15_000,
  /** Tags and outputs rendered in one render (a `for` over a huge range stops here). */
  renders: 100_000,
  /** Units of memory liquidjs counts (array and string growth) in one render. */
  memory: 10_000_000,
} as const;

/** HTML bodies escape every value unless `| raw`; subjects, text bodies and letters are plain text. */
export type Mode = 'html' | 'text';

/**
 * A MoneyText of the context, seen by templates: `{{ totals.due }}` prints `1 234,56 €`, and
 * `{{ totals.due.cents }}` is the integer for comparisons (`{% if totals.interest.cents > 0 %}`).
 * A plain object with its own (hidden) toString, not a liquidjs Drop: liquidjs lets templates read any
 * property of a Drop, prototype included, while a plain object stays under `ownPropertyOnly`.
 */
export type MoneyValue = { cents: number; text: string };

/**
 * Prints its text: its only own fields are `cents` and `text` (toString and valueOf are its class's, which
 * `ownPropertyOnly` keeps templates from reading). Defining them on each value cost a third of making a
 * message's template scope.
 */
class Money implements MoneyValue {
  cents: number;
  text: string;

  constructor(cents: number, text: string) {
    this.cents = cents;
    this.text = text;
  }

  toString(): string {
    return this.text;
  }

  valueOf(): string {
    return this.text;
  }
}

export function moneyValue(cents: number, text: string): MoneyValue {
  return new Money(cents, text);
}

function isMoneyValue(value: unknown): value is MoneyValue {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as MoneyValue).cents === 'number' &&
    typeof (value as MoneyValue).text === 'string' &&
    Object.keys(value).length === 2
  );
}

class ForbiddenTag extends Tag {
  constructor(...args: ConstructorParameters<typeof Tag>) {
    super(...args);
    throw new Error(`{% ${args[0].name} %} is not allowed: a template cannot read other files`);
  }

  *render(): Generator<unknown, void, unknown> {}
}

// Nothing is ever read from disk, even if a forbidden tag slipped through.
const noFiles = {
  exists: async () => false,
  existsSync: () => false,
  readFile: async (file: string) => {
    throw new Error(`cannot read ${file}: templates have no file access`);
  },
  readFileSync: (file: string) => {
    throw new Error(`cannot read ${file}: templates have no file access`);
  },
  resolve: (_dir: string, file: string) => file,
  contains: async () => false,
  containsSync: () => false,
};

function printable(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (isMoneyValue(value)) return value.text;
  if (Array.isArray(value)) return value.map(printable).join('');
  if (typeof value === 'object') {
    // A whole object printed would reach a customer as "[object Object]".
    throw new Error('prints a group of fields, not a value: name one of its fields (see the variables list)');
  }
  return String(value);
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&#34;', "'": '&#39;' })[c]!);
}

function createEngine(mode: Mode): Liquid {
  const liquid = new Liquid({
    ownPropertyOnly: true,
    strictFilters: true,
    // No lenientIf: every context field is always present (null when empty), so `{% if contact %}` works and a
    // misspelt name in a condition fails like one in an output instead of silently hiding a paragraph.
    parseLimit: LIMITS.parse,
    renderLimit: LIMITS.renderMs,
    memoryLimit: LIMITS.memory,
    fs: noFiles,
    root: [],
    partials: [],
    layouts: [],
    relativeReference: false,
    dynamicPartials: false,
    cache: false,
    outputEscape: mode === 'html' ? (value: unknown) => escapeHtml(printable(value)) : printable,
  });
  for (const tag of ['include', 'render', 'layout']) liquid.registerTag(tag, ForbiddenTag);
  // French-friendly formatting of raw values; context values are already formatted in the customer's language.
  liquid.registerFilter(
    'money',
    function money(
      this: { context: { environments: unknown } },
      value: unknown,
      currency?: unknown,
      language?: unknown,
    ) {
      if (isMoneyValue(value)) return value.text;
      const cents = Number(value);
      if (!Number.isSafeInteger(cents)) throw new Error(`money: ${String(value)} is not an amount in cents`);
      const lang = (typeof language === 'string' ? language : languageOf(this.context.environments)) as Language;
      const code = typeof currency === 'string' ? currency : currencyOf(this.context.environments);
      if (!isCurrencyCode(code)) throw new Error(`money: ${code} is not a currency code`);
      return formatMoney(cents, code, lang === 'en' ? 'en-GB' : 'fr-FR');
    },
  );
  liquid.registerFilter(
    'date',
    function date(this: { context: { environments: unknown } }, value: unknown, language?: unknown) {
      if (typeof value !== 'string' || !isIsoDate(value))
        throw new Error(`date: ${String(value)} is not a YYYY-MM-DD date`);
      const lang = (typeof language === 'string' ? language : languageOf(this.context.environments)) as Language;
      return formatDateText(value, lang === 'en' ? 'en' : 'fr');
    },
  );
  return liquid;
}

/** The message's currency (the context's), for amounts given in cents. */
function currencyOf(scope: unknown): string {
  const currency = (scope as { currency?: unknown } | null)?.currency;
  return typeof currency === 'string' ? currency : 'EUR';
}

function languageOf(scope: unknown): string {
  const language = (scope as { language?: unknown } | null)?.language;
  return typeof language === 'string' ? language : 'fr';
}

/** The filters of createEngine, which the fast render calls as liquidjs would. */
const FILTERS = ['money', 'date'];

const engines: Record<Mode, Liquid> = { html: createEngine('html'), text: createEngine('text') };

/** The legacy macro of older products ("insérez #REF# dans le titre"): the invoice number(s). */
export function expandLegacyMacros(source: string): string {
  return source.replaceAll('#REF#', '{{ references }}');
}

// By mode, then keyed by source (LRU): a batch of 2,000 letters parses each distinct template once. The source
// string itself is the key (its hash is kept on it): a key joined from mode and source was a new string to hash
// in full at every e-mail of a run.
const MAX_CACHED = 500;
const parsed: Record<Mode, Map<string, Template[]>> = { html: new Map(), text: new Map() };

/** Where and why a template fails; `code` and `params` say the reason in the reader's language (src/i18n). */
export type TemplateIssue = {
  line: number;
  column: number;
  reason: string;
  code: string;
  params: Record<string, string>;
};

// liquidjs says its errors in English; the common ones get a catalogue key, the rest keep their words.
const LIQUID_REASONS: [RegExp, string][] = [
  [/^undefined variable: (.+)$/, 'template.reason.unknownVariable'],
  [/^undefined filter: (.+)$/, 'template.reason.unknownFilter'],
  [/^tag "(.+)" not found$/, 'template.reason.unknownTag'],
  [/^(output|tag) (.+) not closed$/, 'template.reason.notClosed'],
  [/^illegal tag: (.+)$/, 'template.reason.illegalTag'],
  // Our own refusals (the tags and filters above), and the limits a render runs under.
  [/^\{% (\w+) %\} is not allowed/, 'template.reason.fileTag'],
  [/^cannot read (.+): templates have no file access$/, 'template.reason.fileAccess'],
  [/^prints a group of fields, not a value/, 'template.reason.group'],
  [/^money: (.+) is not an amount in cents$/, 'template.reason.notCents'],
  [/^money: (.+) is not a currency code$/, 'template.reason.notCurrency'],
  [/^date: (.+) is not a YYYY-MM-DD date$/, 'template.reason.notDate'],
  [/^template render limit exceeded/, 'template.reason.tooSlow'],
  [/^(memory alloc|parse length) limit exceeded/, 'template.reason.tooBig'],
];

function reasonCode(reason: string): { code: string; params: Record<string, string> } {
  for (const [pattern, code] of LIQUID_REASONS) {
    const match = pattern.exec(reason);
    if (!match) continue;
    if (match[2] && code === 'template.reason.notClosed') return { code, params: { kind: match[1]!, name: match[2] } };
    return { code, params: match[1] !== undefined ? { name: match[1] } : {} };
  }
  return { code: 'template.reason.other', params: { detail: reason } };
}

export class TemplateSyntaxError extends Error {
  constructor(readonly issue: TemplateIssue) {
    super(`line ${issue.line}: ${issue.reason}`);
    this.name = 'TemplateSyntaxError';
  }
}

/** Parses (or takes from the cache) a template; a syntax error becomes a TemplateSyntaxError with its line. */
export function parseTemplate(source: string, mode: Mode): Template[] {
  const cache = parsed[mode];
  const hit = cache.get(source);
  if (hit) {
    // Least recently used goes first: move the hit to the end of the map's order.
    cache.delete(source);
    cache.set(source, hit);
    return hit;
  }
  let templates: Template[];
  try {
    templates = engines[mode].parse(expandLegacyMacros(source));
  } catch (error) {
    throw new TemplateSyntaxError(describeLiquidError(error));
  }
  if (cache.size >= MAX_CACHED) cache.delete(cache.keys().next().value!);
  cache.set(source, templates);
  return templates;
}

/** The line, column and reason of a liquidjs error, without its "line:x, col:y" suffix. */
export function describeLiquidError(error: unknown): TemplateIssue {
  const e = error as {
    message?: string;
    token?: { getPosition?: () => [number, number] };
    originalError?: { message?: string };
  };
  const [line, column] = e.token?.getPosition?.() ?? [1, 1];
  const message = e.originalError?.message ?? e.message ?? String(error);
  const reason = message.replace(/, line:\d+, col:\d+[\s\S]*$/, '');
  return { line, column, reason, ...reasonCode(reason) };
}

export type RenderOptions = {
  /** A variable that does not exist is an error rather than a blank (previews, test sends, real sends). */
  strict: boolean;
  /** A message being sent (runs, sends) rather than a preview or a save: its render has the longer time bound. */
  sending?: boolean;
};

export class TemplateRenderError extends Error {
  constructor(readonly issue: TemplateIssue) {
    super(`line ${issue.line}: ${issue.reason}`);
    this.name = 'TemplateRenderError';
  }
}

export function renderTemplate(source: string, mode: Mode, scope: object, options: RenderOptions): string {
  const templates = parseTemplate(source, mode);
  // The common templates rendered without liquidjs's generators (fast-render.ts), to the same text; anything
  // else, and every error, by liquidjs below.
  // The other limits (renders, memory) do not depend on the machine's load and are the same for both.
  const renderMs = options.sending ? LIMITS.sendRenderMs : LIMITS.renderMs;
  if (options.strict) {
    const fast = fastRender(templates, engines[mode], scope as Record<string, unknown>, { filters: FILTERS, renderMs });
    if (fast !== null) return fast;
  }
  try {
    return engines[mode].renderSync(templates, scope, {
      strictVariables: options.strict,
      ownPropertyOnly: true,
      templateLimit: LIMITS.renders,
      renderLimit: renderMs,
      memoryLimit: LIMITS.memory,
    }) as string;
  } catch (error) {
    throw new TemplateRenderError(describeLiquidError(error));
  }
}
