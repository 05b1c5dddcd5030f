import { sampleMessageContext } from '../communications/sample-context.ts';
import type { Language } from '../domain/ledger.ts';
import { AppError, type FieldIssue } from '../shared/errors.ts';
import { defaultTemplate } from './defaults.ts';
import { LIMITS, parseTemplate, TemplateSyntaxError, type Mode } from './engine.ts';
import {
  isTemplateKey,
  TEMPLATE_FIELDS,
  TEMPLATE_KEYS,
  TEMPLATE_LANGUAGES,
  type MessageTemplate,
  type TemplateField,
  type TemplateKey,
} from './keys.ts';
import { renderMessage } from './render.ts';
import type { Db } from '../storage/database.ts';
import type { TemplateRow } from '../storage/schema.ts';
import { deleteTemplateRow, templateRow, templateRows, upsertTemplateRow } from '../storage/templates.ts';

/** A template as the company uses it: its own version (`custom`) or the built-in default. */
export type StoredTemplate = MessageTemplate & { custom: boolean; updatedAt: string | null };

export type TemplateInput = { key: string; language: string } & Partial<Record<TemplateField, string>>;

const MODES: Record<TemplateField, Mode> = { subject: 'text', text: 'text', html: 'html', letter: 'text' };

function checkKey(key: string, language: string): { key: TemplateKey; language: Language } {
  if (!isTemplateKey(key)) {
    throw new AppError(
      'invalid_input',
      `"${key}" is not a template; use one of ${TEMPLATE_KEYS.join(', ')}.`,
      [{ field: 'key', value: key, reason: 'unknown template', code: 'reason.unknownTemplate' }],
      { key: 'template.unknownKey', params: { key, keys: TEMPLATE_KEYS.join(', ') } },
    );
  }
  if (!(TEMPLATE_LANGUAGES as readonly string[]).includes(language)) {
    throw new AppError(
      'invalid_input',
      `"${language}" is not a template language; use ${TEMPLATE_LANGUAGES.join(' or ')}.`,
      [{ field: 'language', value: language, reason: 'unknown language', code: 'reason.unknownLanguage' }],
      { key: 'template.unknownLanguage', params: { language } },
    );
  }
  return { key, language: language as Language };
}

function fromRow(row: TemplateRow): StoredTemplate {
  return {
    key: row.key as TemplateKey,
    language: row.language as Language,
    subject: row.subject,
    text: row.text,
    html: row.html,
    letter: row.letter,
    custom: true,
    updatedAt: row.updated_at,
  };
}

function fallback(key: TemplateKey, language: Language): StoredTemplate {
  return { ...defaultTemplate(key, language), custom: false, updatedAt: null };
}

/** The company's version of a template, else the built-in one. */
export async function getTemplate(db: Db, companyId: string, key: string, language: string): Promise<StoredTemplate> {
  const checked = checkKey(key, language);
  const row = await templateRow(db, companyId, checked.key, checked.language);
  return row ? fromRow(row) : fallback(checked.key, checked.language);
}

/** Every template of the company (its versions and the defaults), in one query: what a batch of sends needs. */
export async function loadTemplates(
  db: Db,
  companyId: string,
): Promise<(key: TemplateKey, language: Language) => StoredTemplate> {
  const rows = await templateRows(db, companyId);
  const custom = new Map(rows.map((row) => [`${row.key}|${row.language}`, fromRow(row)]));
  return (key, language) => custom.get(`${key}|${language}`) ?? fallback(key, language);
}

export async function listTemplates(db: Db, companyId: string): Promise<StoredTemplate[]> {
  const lookup = await loadTemplates(db, companyId);
  return TEMPLATE_KEYS.flatMap((key) => TEMPLATE_LANGUAGES.map((language) => lookup(key, language)));
}

/**
 * Checks every field of a template: it must parse (the issue gives the field, line and reason), and it
 * must render against sample data without naming a variable that does not exist.
 */
export function checkTemplate(template: MessageTemplate): FieldIssue[] {
  const issues: FieldIssue[] = [];
  for (const field of TEMPLATE_FIELDS) {
    const source = template[field];
    // Every e-mail needs a subject and a text body; the HTML body and the letter may be left out.
    if ((field === 'subject' || field === 'text') && source.trim() === '') {
      issues.push({ field, reason: 'must not be empty', code: 'template.reason.empty' });
      continue;
    }
    if (source.length > LIMITS.parse) {
      issues.push({
        field,
        reason: `is ${source.length} characters long; the limit is ${LIMITS.parse}`,
        code: 'template.reason.tooLong',
        params: { length: source.length, limit: LIMITS.parse },
      });
      continue;
    }
    try {
      parseTemplate(source, MODES[field]);
    } catch (error) {
      if (!(error instanceof TemplateSyntaxError)) throw error;
      const { line, reason, code, params } = error.issue;
      issues.push({ field, line, reason, code, params });
    }
  }
  if (issues.length > 0) return issues;
  const level =
    template.key === 'mise-en-demeure' ? 4 : template.key === 'standard' || template.key === 'remerciement' ? 0 : 2;
  for (const field of TEMPLATE_FIELDS) {
    try {
      renderMessage({ ...template, ...blankExcept(field, template) }, sampleMessageContext(template.language, level), {
        strict: true,
      });
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      issues.push(...error.issues);
    }
  }
  return issues;
}

// Renders one field at a time so each field's first problem is reported, not only the first field's.
function blankExcept(field: TemplateField, template: MessageTemplate): Record<TemplateField, string> {
  return Object.fromEntries(TEMPLATE_FIELDS.map((f) => [f, f === field ? template[f] : ''])) as Record<
    TemplateField,
    string
  >;
}

/**
 * Saves the company's version of a template; fields left out keep their current text (the company's
 * or the default). A template that does not parse or names an unknown variable is refused whole.
 */
export async function saveTemplate(db: Db, companyId: string, input: TemplateInput): Promise<StoredTemplate> {
  const { key, language } = checkKey(input.key, input.language);
  const current = await getTemplate(db, companyId, key, language);
  const next: MessageTemplate = {
    key,
    language,
    subject: input.subject ?? current.subject,
    text: input.text ?? current.text,
    html: input.html ?? current.html,
    letter: input.letter ?? current.letter,
  };
  const issues = checkTemplate(next);
  if (issues.length > 0) {
    const first = issues[0]!;
    throw new AppError(
      'invalid_input',
      `template ${key} (${language}) refused: ${first.field}` +
        `${first.line !== undefined ? `, line ${first.line}` : ''}: ${first.reason}`,
      issues,
      {
        key: first.line !== undefined ? 'template.refusedLine' : 'template.refused',
        params: {
          ...first.params,
          template: `${key} (${language})`,
          field: first.field,
          why: first.code ?? 'template.reason.other',
          detail: first.reason,
          ...(first.line !== undefined ? { line: first.line } : {}),
        },
      },
    );
  }
  const row = await upsertTemplateRow(db, companyId, next);
  return fromRow(row);
}

/** Goes back to the built-in template. */
export async function resetTemplate(db: Db, companyId: string, key: string, language: string): Promise<StoredTemplate> {
  const checked = checkKey(key, language);
  await deleteTemplateRow(db, companyId, checked.key, checked.language);
  return fallback(checked.key, checked.language);
}
