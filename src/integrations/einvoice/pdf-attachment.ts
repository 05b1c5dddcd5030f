import {
  decodePDFRawStream,
  PDFArray,
  PDFDict,
  PDFDocument,
  PDFHexString,
  PDFName,
  PDFRawStream,
  PDFString,
} from 'pdf-lib';
import { constants as zlibConstants, inflateSync } from 'node:zlib';
import { DEFAULT_INPUT_LIMITS } from '../../shared/input-limits.ts';
import type { XmlReader } from '../xml.ts';

/** Names under which Factur-X, ZUGFeRD and XRechnung hybrids embed their XML. */
const INVOICE_XML_NAMES = ['factur-x.xml', 'zugferd-invoice.xml', 'xrechnung.xml', 'zugferd.xml'];

type Attachment = { name: string; bytes: Uint8Array };

function nameOf(spec: PDFDict): string | null {
  for (const key of ['UF', 'F']) {
    const value = spec.lookup(PDFName.of(key));
    if (value instanceof PDFString || value instanceof PDFHexString) return value.decodeText();
  }
  return null;
}

/**
 * The attachment's bytes, inflated with a cap: zlib stops as soon as the output passes `maxBytes`, so a
 * small stream that inflates to gigabytes costs no more than the cap. Other filters (rare for attachments)
 * go through pdf-lib and are checked after; the worker's memory and time limits bound them meanwhile.
 */
function contentOf(spec: PDFDict, maxBytes: number): Uint8Array | null {
  const ef = spec.lookupMaybe(PDFName.of('EF'), PDFDict);
  const stream = ef?.lookup(PDFName.of('F'));
  if (!(stream instanceof PDFRawStream)) return null;
  const filter = stream.dict.lookup(PDFName.of('Filter'));
  const only = filter instanceof PDFArray && filter.size() === 1 ? filter.lookup(0) : filter;
  let content: Uint8Array;
  if (only === undefined) content = stream.contents;
  else if (only === PDFName.of('FlateDecode') && stream.dict.lookup(PDFName.of('DecodeParms')) === undefined) {
    try {
      content = inflateSync(stream.contents, {
        maxOutputLength: maxBytes + 1,
        finishFlush: zlibConstants.Z_SYNC_FLUSH,
      });
    } catch (error) {
      if ((error as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') throw new TooLarge(maxBytes);
      throw error;
    }
  } else content = decodePDFRawStream(stream).decode();
  if (content.length > maxBytes) throw new TooLarge(maxBytes);
  return content;
}

class TooLarge extends Error {
  constructor(maxBytes: number) {
    super(`it inflates to more than ${Math.round(maxBytes / 1048576)} MiB (the limit for an embedded file)`);
  }
}

/** File specifications of the EmbeddedFiles name tree (leaves and kids), then of the catalog's /AF. */
function fileSpecs(pdf: PDFDocument): PDFDict[] {
  const specs: PDFDict[] = [];
  const visit = (node: PDFDict | undefined, depth: number) => {
    if (!node || depth > 16) return;
    const names = node.lookupMaybe(PDFName.of('Names'), PDFArray);
    if (names) {
      for (let i = 1; i < names.size(); i += 2) {
        const spec = names.lookup(i);
        if (spec instanceof PDFDict) specs.push(spec);
      }
    }
    const kids = node.lookupMaybe(PDFName.of('Kids'), PDFArray);
    if (kids) for (let i = 0; i < kids.size(); i++) visit(kids.lookupMaybe(i, PDFDict), depth + 1);
  };
  const tree = pdf.catalog.lookupMaybe(PDFName.of('Names'), PDFDict);
  visit(tree?.lookupMaybe(PDFName.of('EmbeddedFiles'), PDFDict), 0);
  const af = pdf.catalog.lookupMaybe(PDFName.of('AF'), PDFArray);
  if (af)
    for (let i = 0; i < af.size(); i++) {
      const spec = af.lookupMaybe(i, PDFDict);
      if (spec) specs.push(spec);
    }
  return specs;
}

/**
 * The XML invoice embedded in a Factur-X / ZUGFeRD PDF (PDF/A-3 attachment), found by its standard
 * file name, or the only XML attachment when it has another name.
 */
export async function extractInvoiceXml(
  bytes: Uint8Array,
  reader: XmlReader,
  maxInflatedBytes = DEFAULT_INPUT_LIMITS.maxInflatedBytes,
): Promise<string> {
  let pdf: PDFDocument;
  try {
    pdf = await PDFDocument.load(bytes, { updateMetadata: false, ignoreEncryption: true, throwOnInvalidObject: false });
  } catch (error) {
    return reader.fail('', `not a readable PDF (${(error as Error).message})`, {
      key: 'reason.xml.notPdf',
      params: { detail: (error as Error).message },
    });
  }
  const attachments: Attachment[] = [];
  let specs: PDFDict[];
  try {
    specs = fileSpecs(pdf);
  } catch (error) {
    // A damaged PDF can load (invalid objects tolerated) yet lack its catalog or name tree.
    return reader.fail('', `not a readable PDF (${(error as Error).message})`, {
      key: 'reason.xml.notPdf',
      params: { detail: (error as Error).message },
    });
  }
  for (const spec of specs) {
    const name = nameOf(spec);
    if (name === null || attachments.some((a) => a.name === name)) continue;
    try {
      const content = contentOf(spec, maxInflatedBytes);
      if (content) attachments.push({ name, bytes: content });
    } catch (error) {
      if (error instanceof TooLarge)
        return reader.fail(`attachment ${name}`, `is refused: ${error.message}`, {
          key: 'reason.xml.attachmentRefused',
          params: { detail: error.message },
        });
      return reader.fail(`attachment ${name}`, `cannot be decoded (${(error as Error).message})`, {
        key: 'reason.xml.attachmentUndecodable',
        params: { detail: (error as Error).message },
      });
    }
  }
  const xml = attachments.filter((a) => a.name.toLowerCase().endsWith('.xml'));
  const chosen =
    xml.find((a) => INVOICE_XML_NAMES.includes(a.name.toLowerCase())) ?? (xml.length === 1 ? xml[0] : undefined);
  if (!chosen) {
    return reader.fail(
      '',
      attachments.length === 0
        ? 'this PDF has no embedded invoice XML (not a Factur-X / ZUGFeRD e-invoice)'
        : `this PDF has no factur-x.xml attachment (found: ${attachments.map((a) => a.name).join(', ')})`,
      attachments.length === 0
        ? { key: 'reason.xml.noInvoiceXml' }
        : { key: 'reason.xml.noFacturX', params: { found: attachments.map((a) => a.name).join(', ') } },
    );
  }
  return new TextDecoder('utf-8').decode(chosen.bytes);
}
