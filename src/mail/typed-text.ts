import type { MessageContext } from '../communications/message-context.ts';
import { AppError, type FieldIssue } from '../shared/errors.ts';
import { renderTemplate, templateScope, TemplateRenderError, TemplateSyntaxError } from '../templates/index.ts';

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** A typed message as HTML: escaped, paragraphs and line breaks kept. */
export function textToHtml(text: string, language: string): string {
  const paragraphs = text
    .trim()
    .split(/\n\s*\n/)
    .map((p) => `<p>${escapeHtml(p).replace(/\n/g, '<br>')}</p>`);
  return `<!DOCTYPE html><html lang="${language}"><head><meta charset="utf-8"></head><body>${paragraphs.join('')}</body></html>`;
}

const FIELD_NAMES = {
  fr: { subject: "l'objet", message: 'le message' },
  en: { subject: 'the subject', message: 'the message' },
};

/**
 * A subject or message typed by a person goes through the same sandbox as the templates (`#REF#`,
 * `{{ totals.due }}`…), strictly: an unknown variable is refused before anything is recorded.
 */
export function renderTyped(
  source: string,
  field: 'subject' | 'message',
  context: MessageContext,
  language: 'fr' | 'en',
): string {
  try {
    return renderTemplate(source, 'text', templateScope(context), { strict: true });
  } catch (error) {
    if (!(error instanceof TemplateRenderError) && !(error instanceof TemplateSyntaxError)) throw error;
    const unknown = /undefined variable:?\s*([\w.[\]]+)/i.exec(error.issue.reason)?.[1];
    const where = FIELD_NAMES[language][field];
    const reason =
      language === 'fr'
        ? unknown
          ? `variable inconnue « ${unknown} »`
          : `modèle illisible (${error.issue.reason})`
        : unknown
          ? `unknown variable "${unknown}"`
          : `unreadable template (${error.issue.reason})`;
    const message =
      language === 'fr'
        ? `Dans ${where}, ligne ${error.issue.line} : ${reason}. Rien n'a été envoyé.`
        : `In ${where}, line ${error.issue.line}: ${reason}. Nothing was sent.`;
    const why: Pick<FieldIssue, 'code' | 'params'> = unknown
      ? { code: 'reason.unknownVariable', params: { name: unknown } }
      : { code: 'reason.unreadableTemplate', params: { detail: error.issue.reason } };
    throw new AppError('invalid_input', message, [{ field, line: error.issue.line, reason, ...why }], {
      key: 'problem.asWritten',
      params: { text: message },
    });
  }
}
