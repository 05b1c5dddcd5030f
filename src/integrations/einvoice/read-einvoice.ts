import { addDays, type IsoDate } from '../../domain/calendar.ts';
import { isCurrencyCode, type Cents } from '../../domain/money.ts';
import { isEmail, parseSiren, parseVatNumber } from '../../domain/identifiers.ts';
import { parseCountry } from '../../domain/countries.ts';
import {
  all,
  attributeAt,
  decodeXml,
  first,
  parseXml,
  textAt,
  xmlAmount,
  xmlDate,
  XmlReader,
  type XmlElement,
} from '../xml.ts';
import { extractInvoiceXml } from './pdf-attachment.ts';
import { dueDateFromTerms } from './payment-terms.ts';

export type EInvoiceFormat = 'factur-x' | 'cii' | 'ubl';

/** What relance keeps of an EN 16931 invoice; the BT numbers are the standard's business terms. */
export type EInvoice = {
  format: EInvoiceFormat;
  /** A credit note (type 381 and kin, or a UBL CreditNote) becomes an avoir allocated to BT-25's invoice. */
  kind: 'invoice' | 'credit_note';
  precedingInvoice: string | null; // BT-25
  number: string; // BT-1
  issueDate: IsoDate; // BT-2
  currency: string; // BT-5
  dueDate: IsoDate; // BT-9, else from BT-20, else issue date + 30 days (Code de commerce L441-10)
  dueDateSource: 'BT-9' | 'BT-20' | 'default';
  paymentTerms: string | null; // BT-20
  totalExclTax: Cents | null; // BT-109
  total: Cents; // BT-112
  paid: Cents; // BT-113
  due: Cents; // BT-115
  buyer: {
    name: string; // BT-44
    siren: string | null; // BT-47 (SIREN, scheme 0002, or the first 9 digits of a SIRET, scheme 0009)
    vatNumber: string | null; // BT-48
    email: string | null; // BT-49 (scheme EM) or the buyer contact's e-mail (BT-58)
    address: {
      line1: string | null;
      line2: string | null;
      postcode: string | null;
      city: string | null;
      country: string;
    };
  };
};

/** Document type codes (UNTDID 1001) of credit notes. */
const CREDIT_NOTE_TYPES = new Set(['381', '261', '262', '296', '308', '396', '420', '458', '532']);

function countryOf(code: string | null): string {
  const parsed = code ? parseCountry(code) : null;
  return parsed?.ok ? parsed.value : 'FR';
}

function required(reader: XmlReader, node: XmlElement | undefined, path: string, what: string): string {
  return textAt(node, path) ?? reader.fail(path, `is missing (${what})`);
}

function identifiers(
  reader: XmlReader,
  path: string,
  legalId: string | null,
  scheme: string | null,
  vat: string | null,
) {
  let siren: string | null = null;
  if (legalId && (scheme === null || scheme === '0002' || scheme === '0009')) {
    const parsed = parseSiren(legalId);
    // A legal id of another scheme (a foreign registry) is not a SIREN: keep the VAT number only.
    if (parsed.ok) siren = parsed.value;
    else if (scheme !== null) reader.fail(`${path} (BT-47)`, parsed.reason);
  }
  let vatNumber: string | null = null;
  if (vat) {
    const parsed = parseVatNumber(vat);
    if (!parsed.ok) reader.fail(`${path} (BT-48)`, parsed.reason);
    vatNumber = parsed.value;
  }
  return { siren, vatNumber };
}

function finish(
  reader: XmlReader,
  raw: Omit<EInvoice, 'dueDate' | 'dueDateSource'> & { dueDate: IsoDate | null },
): EInvoice {
  if (!isCurrencyCode(raw.currency))
    reader.fail('currency (BT-5)', `"${raw.currency}" is not an ISO 4217 currency code`);
  if (raw.total < 0) reader.fail('total (BT-112)', 'is negative');
  if (raw.due > raw.total) reader.fail('amount due (BT-115)', 'is more than the total including tax (BT-112)');
  if (raw.buyer.email !== null && !isEmail(raw.buyer.email)) raw.buyer.email = null;
  let dueDate = raw.dueDate;
  let dueDateSource: EInvoice['dueDateSource'] = 'BT-9';
  if (dueDate === null && raw.paymentTerms) {
    dueDate = dueDateFromTerms(raw.paymentTerms, raw.issueDate);
    dueDateSource = 'BT-20';
  }
  if (dueDate === null) {
    dueDate = addDays(raw.issueDate, 30);
    dueDateSource = 'default';
  }
  if (dueDate < raw.issueDate) reader.fail('due date (BT-9)', `${dueDate} is before the issue date ${raw.issueDate}`);
  return { ...raw, dueDate, dueDateSource };
}

function readCii(reader: XmlReader, root: XmlElement, format: EInvoiceFormat): EInvoice {
  const doc = 'ExchangedDocument';
  const typeCode = textAt(root, `${doc}/TypeCode`);
  const number = required(reader, root, `${doc}/ID`, 'BT-1 invoice number');
  const issuePath = `${doc}/IssueDateTime/DateTimeString`;
  const issueDate = xmlDate(reader, issuePath, required(reader, root, issuePath, 'BT-2 issue date'));
  const tx = first(root, 'SupplyChainTradeTransaction');
  const settlement = first(tx, 'ApplicableHeaderTradeSettlement');
  const currencyPath = 'SupplyChainTradeTransaction/ApplicableHeaderTradeSettlement/InvoiceCurrencyCode';
  const currency = required(reader, root, currencyPath, 'BT-5 currency');
  const sums = 'SpecifiedTradeSettlementHeaderMonetarySummation';
  const amount = (name: string, what: string, optional = false): Cents | null => {
    const path = `${sums}/${name}`;
    const value = textAt(settlement, path);
    if (value === null) return optional ? null : reader.fail(path, `is missing (${what})`);
    return xmlAmount(reader, path, value, currency);
  };
  const total = amount('GrandTotalAmount', 'BT-112 total including tax')!;
  const paid = amount('TotalPrepaidAmount', 'BT-113', true) ?? 0;
  const due = amount('DuePayableAmount', 'BT-115 amount due')!;
  const terms = first(settlement, 'SpecifiedTradePaymentTerms');
  const duePath = 'SpecifiedTradePaymentTerms/DueDateDateTime/DateTimeString';
  const dueText = textAt(settlement, duePath);
  const buyer = first(tx, 'ApplicableHeaderTradeAgreement/BuyerTradeParty');
  const buyerPath = 'ApplicableHeaderTradeAgreement/BuyerTradeParty';
  if (!buyer) reader.fail(buyerPath, 'is missing (BG-7 buyer)');
  const ids = identifiers(
    reader,
    buyerPath,
    textAt(buyer, 'SpecifiedLegalOrganization/ID'),
    attributeAt(buyer, 'SpecifiedLegalOrganization/ID', 'schemeID'),
    [...((buyer['SpecifiedTaxRegistration'] as XmlElement[]) ?? [])]
      .filter((r) => attributeAt(r, 'ID', 'schemeID') === 'VA')
      .map((r) => textAt(r, 'ID'))[0] ?? null,
  );
  const address = first(buyer, 'PostalTradeAddress');
  return finish(reader, {
    format,
    kind: typeCode && CREDIT_NOTE_TYPES.has(typeCode) ? 'credit_note' : 'invoice',
    precedingInvoice: textAt(settlement, 'InvoiceReferencedDocument/IssuerAssignedID'),
    number,
    issueDate,
    currency,
    dueDate: dueText ? xmlDate(reader, duePath, dueText) : null,
    paymentTerms: textAt(terms, 'Description'),
    totalExclTax: amount('TaxBasisTotalAmount', 'BT-109', true),
    total,
    paid,
    due,
    buyer: {
      name: required(reader, buyer, 'Name', 'BT-44 buyer name'),
      ...ids,
      email:
        (attributeAt(buyer, 'URIUniversalCommunication/URIID', 'schemeID') === 'EM'
          ? textAt(buyer, 'URIUniversalCommunication/URIID')
          : null) ?? textAt(buyer, 'DefinedTradeContact/EmailURIUniversalCommunication/URIID'),
      address: {
        line1: textAt(address, 'LineOne'),
        line2: textAt(address, 'LineTwo'),
        postcode: textAt(address, 'PostcodeCode'),
        city: textAt(address, 'CityName'),
        country: countryOf(textAt(address, 'CountryID')),
      },
    },
  });
}

function readUbl(reader: XmlReader, root: XmlElement, creditNote: boolean): EInvoice {
  const typeCode = textAt(root, creditNote ? 'CreditNoteTypeCode' : 'InvoiceTypeCode');
  const number = required(reader, root, 'ID', 'BT-1 invoice number');
  const issueDate = xmlDate(reader, 'IssueDate', required(reader, root, 'IssueDate', 'BT-2 issue date'));
  const currency = required(reader, root, 'DocumentCurrencyCode', 'BT-5 currency');
  const amount = (name: string, what: string, optional = false): Cents | null => {
    const path = `LegalMonetaryTotal/${name}`;
    const value = textAt(root, path);
    if (value === null) return optional ? null : reader.fail(path, `is missing (${what})`);
    return xmlAmount(reader, path, value, currency);
  };
  const buyerPath = 'AccountingCustomerParty/Party';
  const buyer = first(root, buyerPath);
  if (!buyer) reader.fail(buyerPath, 'is missing (BG-7 buyer)');
  const vat =
    [...((buyer['PartyTaxScheme'] as XmlElement[]) ?? [])]
      .filter((s) => (textAt(s, 'TaxScheme/ID') ?? 'VAT') === 'VAT')
      .map((s) => textAt(s, 'CompanyID'))[0] ?? null;
  const ids = identifiers(
    reader,
    buyerPath,
    textAt(buyer, 'PartyLegalEntity/CompanyID'),
    attributeAt(buyer, 'PartyLegalEntity/CompanyID', 'schemeID'),
    vat,
  );
  const address = first(buyer, 'PostalAddress');
  const dueText = textAt(root, 'DueDate') ?? textAt(root, 'PaymentMeans/PaymentDueDate');
  return finish(reader, {
    format: 'ubl',
    kind: creditNote || (typeCode !== null && CREDIT_NOTE_TYPES.has(typeCode)) ? 'credit_note' : 'invoice',
    precedingInvoice: textAt(root, 'BillingReference/InvoiceDocumentReference/ID'),
    number,
    issueDate,
    currency,
    dueDate: dueText ? xmlDate(reader, 'DueDate', dueText) : null,
    paymentTerms: textAt(root, 'PaymentTerms/Note'),
    totalExclTax: amount('TaxExclusiveAmount', 'BT-109', true),
    total: amount('TaxInclusiveAmount', 'BT-112 total including tax')!,
    paid: amount('PrepaidAmount', 'BT-113', true) ?? 0,
    due: amount('PayableAmount', 'BT-115 amount due')!,
    buyer: {
      name:
        textAt(buyer, 'PartyLegalEntity/RegistrationName') ??
        textAt(buyer, 'PartyName/Name') ??
        reader.fail(`${buyerPath}/PartyLegalEntity/RegistrationName`, 'is missing (BT-44 buyer name)'),
      ...ids,
      email:
        (attributeAt(buyer, 'EndpointID', 'schemeID') === 'EM' ? textAt(buyer, 'EndpointID') : null) ??
        textAt(buyer, 'Contact/ElectronicMail'),
      address: {
        line1: textAt(address, 'StreetName'),
        line2: textAt(address, 'AdditionalStreetName'),
        postcode: textAt(address, 'PostalZone'),
        city: textAt(address, 'CityName'),
        country: countryOf(textAt(address, 'Country/IdentificationCode')),
      },
    },
  });
}

/**
 * The PDF rendition an XML e-invoice may carry as a base64 attachment (UBL AdditionalDocumentReference,
 * CII AdditionalReferencedDocument), kept like a Factur-X PDF as the invoice copy; null when there is none.
 */
export function embeddedPdf(
  rootName: string,
  root: XmlElement,
  number: string,
): { filename: string; bytes: Uint8Array } | null {
  const objects =
    rootName === 'CrossIndustryInvoice'
      ? all(
          root,
          'SupplyChainTradeTransaction/ApplicableHeaderTradeAgreement/AdditionalReferencedDocument/AttachmentBinaryObject',
        )
      : all(root, 'AdditionalDocumentReference/Attachment/EmbeddedDocumentBinaryObject');
  for (const object of objects) {
    if (typeof object === 'string' || object['@mimeCode'] !== 'application/pdf' || typeof object['#text'] !== 'string')
      continue;
    const bytes = new Uint8Array(Buffer.from(object['#text'].replace(/\s+/g, ''), 'base64'));
    if (!isPdf(bytes)) continue;
    const name =
      typeof object['@filename'] === 'string' && object['@filename'].trim()
        ? object['@filename'].trim()
        : `${number}.pdf`;
    return { filename: name, bytes };
  }
  return null;
}

export function isPdf(bytes: Uint8Array): boolean {
  return Buffer.from(bytes.subarray(0, 1024)).toString('latin1').includes('%PDF-');
}

/** Reads an e-invoice XML document (CII or UBL) already parsed; `format` says whether it came out of a PDF. */
export function readEInvoiceXml(reader: XmlReader, rootName: string, root: XmlElement, fromPdf: boolean): EInvoice {
  if (rootName === 'CrossIndustryInvoice') return readCii(reader, root, fromPdf ? 'factur-x' : 'cii');
  if (rootName === 'Invoice' || rootName === 'CreditNote') return readUbl(reader, root, rootName === 'CreditNote');
  return reader.fail(
    rootName,
    'is not an e-invoice (expected a CII CrossIndustryInvoice or a UBL Invoice or CreditNote)',
  );
}

/** Reads a Factur-X PDF, a CII or a UBL file into an EInvoice; any problem is an error naming the file. */
export async function readEInvoice(fileName: string, bytes: Uint8Array): Promise<EInvoice> {
  const reader = new XmlReader(fileName);
  const fromPdf = isPdf(bytes);
  const text = fromPdf ? await extractInvoiceXml(bytes, reader) : decodeXml(bytes);
  const { rootName, root } = parseXml(text, reader);
  return readEInvoiceXml(reader, rootName, root, fromPdf);
}
