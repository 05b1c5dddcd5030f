import type { MessageContext } from '../communications/message-context.ts';
import { AppError } from '../shared/errors.ts';
import { renderTemplate, TemplateRenderError, TemplateSyntaxError, type Mode, type RenderOptions } from './engine.ts';
import { TEMPLATE_FIELDS, type MessageTemplate, type TemplateField } from './keys.ts';
import { templateScope } from './scope.ts';

export type RenderedMessage = Record<TemplateField, string>;

const MODES: Record<TemplateField, Mode> = { subject: 'text', text: 'text', html: 'html', letter: 'text' };

/**
 * Renders every field of a template for one context. With `strict` (previews, test sends and real
 * sends) a variable that does not exist stops the message with its name and line, so a customer never
 * receives a mail with a blank where an amount should be.
 */
export function renderMessage(
  template: Pick<MessageTemplate, TemplateField> & Partial<MessageTemplate>,
  context: MessageContext,
  options: RenderOptions = { strict: true },
): RenderedMessage {
  const scope = templateScope(context);
  const out = {} as RenderedMessage;
  for (const field of TEMPLATE_FIELDS) out[field] = renderField(template, field, scope, options);
  // Optional paragraphs left out must not leave holes: at most one blank line in plain-text bodies.
  for (const field of ['text', 'letter'] as const) out[field] = tidyText(out[field]);
  // A subject is one header line: a line break in it would be a header injection.
  // Only line breaks go: the no-break spaces of French amounts must stay.
  out.subject = out.subject.replace(/[ \t]*[\r\n\v\f\u0085\u2028\u2029]+[ \t]*/g, ' ').trim();
  return out;
}

/** One field only (a subject for a list, the letter text for a document). */
export function renderField(
  template: Pick<MessageTemplate, TemplateField> & Partial<MessageTemplate>,
  field: TemplateField,
  scope: Record<string, unknown>,
  options: RenderOptions = { strict: true },
): string {
  try {
    return renderTemplate(template[field], MODES[field], scope, options);
  } catch (error) {
    if (error instanceof TemplateSyntaxError || error instanceof TemplateRenderError) {
      const which = template.key ? `template ${template.key} (${template.language ?? '?'})` : 'template';
      const { line, reason, code, params } = error.issue;
      throw new AppError(
        'invalid_input',
        `${which}, ${field}, line ${line}: ${reason}`,
        [{ field, line, reason, code, params }],
        {
          key: 'template.refusedLine',
          params: {
            ...params,
            template: template.key ? `${template.key} (${template.language ?? '?'})` : '',
            field,
            line,
            why: code,
          },
        },
      );
    }
    throw error;
  }
}

function tidyText(text: string): string {
  return text
    .replace(/[ \t]+$/gm, '')
    .replace(/\n{3,}/g, '\n\n')
    .replace(/^\n+/, '');
}
