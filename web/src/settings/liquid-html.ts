/**
 * The HTML of an e-mail template as the visual editor can hold it, and back. The editor keeps paragraphs, marks and
 * links; what it cannot hold (the invoice table with its loop, every `{% … %}` tag) travels as opaque raw pieces it
 * shows as chips and never changes, and the document around the body (doctype, head, body's styles) is kept aside.
 * `{{ … }}` outputs stay plain text. The raw editor remains the reference: a template whose Liquid would not come
 * back unchanged is not opened in the visual editor.
 */
export type Shell = { head: string; tail: string };

const DEFAULT_BODY = /^([\s\S]*?<div style="max-width:640px;">\n?)([\s\S]*?)(\n?<\/div>\s*<\/body>[\s\S]*)$/;
const ANY_BODY = /^([\s\S]*?<body[^>]*>\n?)([\s\S]*?)(\n?<\/body>[\s\S]*)$/i;
const PARAGRAPH_STYLE = 'margin:0 0 12px;';

const encode = (raw: string) => encodeURIComponent(raw);
const decode = (encoded: string) => {
  try {
    return decodeURIComponent(encoded);
  } catch {
    return encoded;
  }
};

/** The body as editor content (raw pieces marked) and the shell kept around it. */
export function toEditor(html: string): { content: string; shell: Shell } {
  const match = DEFAULT_BODY.exec(html) ?? ANY_BODY.exec(html);
  const shell = match ? { head: match[1]!, tail: match[3]! } : { head: '', tail: '' };
  const body = match ? match[2]! : html;
  const content = body
    .replace(/<table[\s\S]*?<\/table>/gi, (table) => `<div data-raw="${encode(table)}"></div>`)
    .replace(/\{%[\s\S]*?%\}/g, (tag) => `<span data-raw="${encode(tag)}"></span>`);
  return { content, shell };
}

/** The template's HTML from what the editor holds: raw pieces put back, paragraphs given the e-mail's spacing. */
export function fromEditor(editorHtml: string, shell: Shell): string {
  let body = editorHtml
    .replace(/<div data-raw="([^"]*)"[^>]*><\/div>/g, (_m, raw: string) => decode(raw))
    .replace(/<span data-raw="([^"]*)"[^>]*><\/span>/g, (_m, raw: string) => decode(raw))
    .replace(/<p>/g, `<p style="${PARAGRAPH_STYLE}">`);
  // A paragraph holding only Liquid tags (an {% if %} around blocks) is the tag alone, as it was written.
  body = body.replace(/<p style="[^"]*">((?:\s*\{%[\s\S]*?%\}\s*)+)<\/p>/g, '$1');
  body = body.replace(/<\/p><p /g, '</p>\n<p ').replace(/(%\})<p /g, '$1<p ');
  return `${shell.head}${body}${shell.tail}`;
}

/** Every Liquid output and tag in order, spaces folded: what must survive a trip through the editor. */
export function liquidTokens(text: string): string[] {
  return (text.match(/\{\{[\s\S]*?\}\}|\{%[\s\S]*?%\}/g) ?? []).map((t) => t.replace(/\s+/g, ' '));
}

/** The chip a raw piece shows as in the editor. */
export function rawLabel(raw: string): string {
  if (/^<table/i.test(raw)) return raw.includes('{% for invoice in invoices %}') ? '⟨invoices⟩' : '⟨table⟩';
  return raw.replace(/\s+/g, ' ');
}

export const decodeRaw = decode;
