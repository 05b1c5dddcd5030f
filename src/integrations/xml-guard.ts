import type { MessageText } from '../shared/errors.ts';

/**
 * The checks every XML input passes before any parser sees it, in one linear scan that keeps no tree:
 * no document type declaration anywhere (DOCTYPE, or an ENTITY/ELEMENT/ATTLIST declaration, wherever it
 * stands: after a long comment as much as on the first line), so no entity can be defined, expanded or fetched;
 * a size and a nesting-depth limit, so neither a huge file nor 100,000 nested elements reach the recursive
 * validator. A refusal says where: the element being read, and the reason.
 */
export const XML_LIMITS = {
  /** Characters of XML text; an e-invoice is a few hundred KB, a year of bank statements a few MB. */
  maxChars: 64 * 1024 * 1024,
  /** Nested elements; EN 16931 syntaxes and camt.05x stay under 20. */
  maxDepth: 64,
};

export type XmlRefusal = { element: string; reason: string; why: MessageText };

const DECLARATION = /^<!(DOCTYPE|ENTITY|ELEMENT|ATTLIST|NOTATION)\b/i;

/** The `>` closing the tag that starts before `from`, skipping quoted attribute values (which may hold `>` or `/`). */
function tagEnd(text: string, from: number): number {
  let quote = 0;
  for (let j = from; j < text.length; j++) {
    const c = text.charCodeAt(j);
    if (quote !== 0) {
      if (c === quote) quote = 0;
    } else if (c === 34 || c === 39) quote = c;
    else if (c === 62) return j;
  }
  return -1;
}

export function checkXmlText(text: string, limits = XML_LIMITS): XmlRefusal | null {
  if (text.length > limits.maxChars) {
    const size = Math.round(limits.maxChars / 1048576);
    return {
      element: 'file',
      reason: `the XML text is larger than ${size} MiB`,
      why: { key: 'reason.xmlTooLarge', params: { size } },
    };
  }
  const open: string[] = [];
  const where = () => open.join('/') || 'file';
  let i = text.indexOf('<');
  while (i !== -1) {
    const next = text.charCodeAt(i + 1);
    if (text.startsWith('<!--', i)) {
      const end = text.indexOf('-->', i + 4);
      if (end === -1) return null;
      i = text.indexOf('<', end + 3);
      continue;
    }
    if (text.startsWith('<![CDATA[', i)) {
      const end = text.indexOf(']]>', i + 9);
      if (end === -1) return null;
      i = text.indexOf('<', end + 3);
      continue;
    }
    if (next === 33 /* ! */) {
      const what = DECLARATION.exec(text.slice(i, i + 12))?.[1]?.toUpperCase() ?? 'markup';
      return {
        element: where(),
        reason: `an XML document type declaration (${what}) is not accepted: no DTD, no entities`,
        why: { key: 'reason.xmlDoctype', params: { what } },
      };
    }
    if (next === 63 /* ? */) {
      const end = text.indexOf('?>', i + 2);
      if (end === -1) return null;
      i = text.indexOf('<', end + 2);
      continue;
    }
    const close = tagEnd(text, i + 1);
    if (close === -1) return null;
    if (next === 47 /* / */) open.pop();
    else if (text.charCodeAt(close - 1) !== 47) {
      const name = /^[^\s/>]+/.exec(text.slice(i + 1, Math.min(close, i + 200)))?.[0] ?? '?';
      open.push(name.replace(/^[^:]*:/, ''));
      if (open.length > limits.maxDepth) {
        return {
          element: open.slice(0, 6).join('/') + '/…',
          reason: `elements are nested deeper than ${limits.maxDepth} levels`,
          why: { key: 'reason.xmlTooDeep', params: { count: limits.maxDepth } },
        };
      }
    }
    i = text.indexOf('<', close + 1);
  }
  return null;
}
