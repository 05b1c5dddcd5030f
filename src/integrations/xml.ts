import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { AppError, type MessageText } from '../shared/errors.ts';
import { checkXmlText } from './xml-guard.ts';
import { parseAmount, type Cents, type ParseFailure } from '../domain/money.ts';
import { parseDate, type IsoDate } from '../domain/calendar.ts';

/** A parse failure's catalogue text: its own key, else its English as written. */
export function reasonOf(failure: ParseFailure): MessageText {
  return failure.code
    ? { key: failure.code, ...(failure.params ? { params: failure.params } : {}) }
    : { key: 'problem.asWritten', params: { text: failure.reason } };
}

/**
 * A parsed XML element: child elements by local name (namespace prefixes dropped, so `ram:ID` and `cbc:ID`
 * are `ID`), always as arrays, attributes as `@name`, text as `#text`.
 */
export type XmlElement = { [name: string]: XmlElement[] | string | undefined };

/** Errors name the file and the element path, e.g. `F-1.xml: ExchangedDocument/ID: is missing`. */
export class XmlReader {
  readonly fileName: string;
  constructor(fileName: string) {
    this.fileName = fileName;
  }

  /** Refuses the file: `reason` in English for logs, `why` the catalogue's key (`reason.xml.*`) and params. */
  fail(path: string, reason: string, why: MessageText): never {
    throw new AppError(
      'invalid_input',
      `${this.fileName}: ${path ? `${path}: ` : ''}${reason}.`,
      [{ field: path || 'file', reason, code: why.key, ...(why.params ? { params: why.params } : {}) }],
      {
        key: 'reason.xml.refused',
        params: { ...why.params, file: this.fileName, where: path ? `${path} : ` : '', why: why.key },
      },
    );
  }
}

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  textNodeName: '#text',
  removeNSPrefix: true,
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  isArray: (_name, _path, _leaf, isAttribute) => !isAttribute,
  // Only the five predefined entities and character references can occur: declarations are refused before parsing.
  processEntities: true,
  // Numeric character references (&#233;) are only decoded with this option.
  htmlEntities: true,
});

/**
 * The text of an XML file: UTF-8 (what Factur-X and ISO 20022 require), or the single-byte encoding its
 * declaration names (some bank exports are ISO-8859-1).
 */
export function decodeXml(bytes: Uint8Array): string {
  const head = Buffer.from(bytes.subarray(0, 200)).toString('latin1');
  const declared = /^\s*<\?xml[^>]*encoding=["']([^"']+)["']/i
    .exec(head.replace(/^\uFEFF|^\u00EF\u00BB\u00BF/, ''))?.[1]
    ?.toLowerCase();
  const single = declared && ['iso-8859-1', 'latin1', 'iso-8859-15', 'windows-1252', 'cp1252'].includes(declared);
  return new TextDecoder(single ? 'windows-1252' : 'utf-8').decode(bytes);
}

/**
 * Parses an XML document and returns its root element and local name: the one XML reader of every XML
 * input. A document type declaration is refused wherever it stands (no e-invoice, bank statement or status
 * message has one, and it is how entity-expansion and external-entity attacks come in), as are documents
 * over the size or depth limits (`xml-guard.ts`); whatever the parser still trips on is a refusal naming
 * the file, never an unexpected failure.
 */
export function parseXml(text: string, reader: XmlReader): { rootName: string; root: XmlElement } {
  const body = text.replace(/^\uFEFF/, '');
  const refusal = checkXmlText(body);
  if (refusal) reader.fail(refusal.element === 'file' ? '' : refusal.element, refusal.reason, refusal.why);
  let doc: XmlElement;
  try {
    const valid = XMLValidator.validate(body);
    if (valid !== true) {
      throw new AppError(
        'invalid_input',
        `${reader.fileName}: not well-formed XML, line ${valid.err.line}: ${valid.err.msg}`,
        [
          {
            line: valid.err.line,
            field: 'file',
            reason: valid.err.msg,
            code: 'reason.xmlSyntax',
            params: { line: valid.err.line, detail: valid.err.msg },
          },
        ],
        {
          key: 'problem.xml.notWellFormed',
          params: { file: reader.fileName, line: valid.err.line, reason: valid.err.msg },
        },
      );
    }
    doc = parser.parse(body) as XmlElement;
  } catch (error) {
    if (error instanceof AppError) throw error;
    const detail = (error as Error).message.slice(0, 200);
    reader.fail('', `the XML could not be read (${detail})`, { key: 'reason.xml.unreadable', params: { detail } });
  }
  const rootName = Object.keys(doc).find((k) => !k.startsWith('?') && !k.startsWith('@') && k !== '#text');
  if (!rootName) reader.fail('', 'the XML document has no root element', { key: 'reason.xml.noRoot' });
  return { rootName, root: (doc[rootName] as XmlElement[])[0]! };
}

/** The elements at a slash-separated path of local names (every match, in document order). */
export function all(node: XmlElement | undefined, path: string): XmlElement[] {
  let current: XmlElement[] = node ? [node] : [];
  for (const name of path.split('/')) {
    const next: XmlElement[] = [];
    for (const element of current) {
      const children = element[name];
      if (Array.isArray(children)) next.push(...children);
    }
    current = next;
  }
  return current;
}

export function first(node: XmlElement | undefined, path: string): XmlElement | undefined {
  return all(node, path)[0];
}

/** The trimmed text of the first element at `path`, or null when absent or empty. */
export function textAt(node: XmlElement | undefined, path: string): string | null {
  const element = first(node, path);
  if (element === undefined) return null;
  const value = typeof element === 'string' ? element : element['#text'];
  const text = typeof value === 'string' ? value.trim() : '';
  return text === '' ? null : text;
}

export function attributeAt(node: XmlElement | undefined, path: string, attribute: string): string | null {
  const value = first(node, path)?.[`@${attribute}`];
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : null;
}

/**
 * An XML decimal (`1234.5`, `-12.00`, `1200.000`) in cents. Trailing zeros past the currency's decimals are
 * accepted; anything finer than a cent is refused rather than rounded.
 */
export function xmlAmount(reader: XmlReader, path: string, value: string, currency: string): Cents {
  const match = /^([+-]?)(\d+)(?:\.(\d+))?$/.exec(value.trim());
  if (!match)
    return reader.fail(path, `"${value}" is not an amount`, { key: 'reason.xml.notAmount', params: { value } });
  const fraction = (match[3] ?? '').replace(/0+$/, '');
  const parsed = parseAmount(`${match[2]}${fraction ? `.${fraction}` : ''}`, currency);
  if (!parsed.ok) return reader.fail(path, parsed.reason, reasonOf(parsed));
  return match[1] === '-' ? -parsed.value : parsed.value;
}

/** `YYYY-MM-DD`, `YYYYMMDD` (CII format 102) or an ISO date-time, as a checked calendar date. */
export function xmlDate(reader: XmlReader, path: string, value: string): IsoDate {
  const text = value.trim();
  const compact = /^(\d{4})(\d{2})(\d{2})(\d{4,6})?$/.exec(text);
  const iso = /^(\d{4}-\d{2}-\d{2})(?:T.*|[+-]\d{2}:\d{2}|Z)?$/.exec(text);
  const candidate = compact ? `${compact[1]}-${compact[2]}-${compact[3]}` : iso ? iso[1]! : null;
  const parsed = candidate ? parseDate(candidate) : null;
  if (!parsed || !parsed.ok)
    return reader.fail(path, `"${value}" is not a date`, { key: 'reason.xml.notDate', params: { value } });
  return parsed.value;
}
