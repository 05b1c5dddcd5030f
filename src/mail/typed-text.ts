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

/**
 * A subject or message typed by a person goes through the same sandbox as the templates (`#REF#`,
 * `{{ totals.due }}`…), strictly: an unknown variable is refused before anything is recorded.
 */
export function renderTyped(source: string, field: 'subject' | 'message', context: MessageContext): string {
  try {
    return renderTemplate(source, 'text', templateScope(context), { strict: true });
  } catch (error) {
    if (!(error instanceof TemplateRenderError) && !(error instanceof TemplateSyntaxError)) throw error;
    const { issue } = error;
    const unknown = /undefined variable:?\s*([\w.[\]]+)/i.exec(issue.reason)?.[1];
    // Said by its reader from the catalogue: an unknown variable by name, anything else by the template's reason.
    const why: Pick<FieldIssue, 'code' | 'params'> = unknown
      ? { code: 'reason.unknownVariable', params: { name: unknown } }
      : { code: issue.code, params: issue.params };
    const reason = unknown ? `unknown variable "${unknown}"` : `unreadable template (${issue.reason})`;
    throw new AppError(
      'invalid_input',
      `In the ${field}, line ${issue.line}: ${reason}. Nothing was sent.`,
      [{ field, line: issue.line, reason, ...why }],
      { key: 'problem.manual.typed', params: { ...why.params, field, line: issue.line, why: why.code! } },
    );
  }
}
