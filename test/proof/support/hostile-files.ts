import { deflateSync } from 'node:zlib';
import { PDFDocument, PDFName, PDFString } from 'pdf-lib';

/**
 * A small PDF whose factur-x.xml attachment inflates to `inflatedMiB` MiB (zeros compress about 1000:1):
 * the decompression bomb of an e-invoice upload.
 */
export async function pdfBomb(inflatedMiB: number): Promise<Uint8Array> {
  const pdf = await PDFDocument.create();
  pdf.addPage();
  const zeros = Buffer.alloc(1024 * 1024);
  const chunks: Buffer[] = [];
  for (let i = 0; i < inflatedMiB; i++) chunks.push(zeros);
  const compressed = deflateSync(Buffer.concat(chunks), { level: 9 });
  const stream = pdf.context.stream(compressed, { Type: 'EmbeddedFile', Subtype: 'text/xml', Filter: 'FlateDecode' });
  const streamRef = pdf.context.register(stream);
  const spec = pdf.context.obj({
    Type: 'Filespec',
    F: PDFString.of('factur-x.xml'),
    UF: PDFString.of('factur-x.xml'),
    EF: { F: streamRef },
  });
  const specRef = pdf.context.register(spec);
  pdf.catalog.set(
    PDFName.of('Names'),
    pdf.context.obj({ EmbeddedFiles: { Names: [PDFString.of('factur-x.xml'), specRef] } }),
  );
  return pdf.save({ useObjectStreams: false });
}

/** An XML e-invoice whose DOCTYPE comes after a long comment, defining an entity used for the invoice number. */
export function lateDoctypeUbl(): string {
  return (
    `<?xml version="1.0"?><!--${'x'.repeat(5000)}--><!DOCTYPE Invoice [<!ENTITY inj "X-INJECTED-BY-ENTITY">]>` +
    '<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2" ' +
    'xmlns:cbc="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"><cbc:ID>&inj;</cbc:ID></Invoice>'
  );
}

export function externalEntityUbl(): string {
  return (
    '<?xml version="1.0"?><!DOCTYPE Invoice [<!ENTITY ext SYSTEM "file:///etc/passwd">]>' +
    '<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"><ID>&ext;</ID></Invoice>'
  );
}

export function deeplyNested(depth: number): string {
  return `<?xml version="1.0"?>${'<a>'.repeat(depth)}${'</a>'.repeat(depth)}`;
}
