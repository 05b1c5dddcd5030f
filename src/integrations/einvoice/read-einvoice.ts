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
  reasonOf,
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

/** The EN 16931 business terms a refusal names (`reason.xml.term.*`). */
const BUSINESS_TERMS = {
  bt1: 'BT-1 invoice number',
  bt2: 'BT-2 issue date',
  bt5: 'BT-5 currency',
  bt44: 'BT-44 buyer name',
  bt112: 'BT-112 total including tax',
  bt115: 'BT-115 amount due',
  bg7: 'BG-7 buyer',
};
type BusinessTerm = keyof typeof BUSINESS_TERMS;

function missing(reader: XmlReader, path: string, term: BusinessTerm): never {
  return reader.fail(path, `is missing (${BUSINESS_TERMS[term]})`, {
    key: 'reason.xml.missing',
    params: { term },
  });
}

function required(reader: XmlReader, node: XmlElement | undefined, path: string, term: BusinessTerm): string {
  return textAt(node, path) ?? missing(reader, path, term);
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
    else if (scheme !== null) reader.fail(`${path} (BT-47)`, parsed.reason, reasonOf(parsed));
  }
  let vatNumber: string | null = null;
  if (vat) {
    const parsed = parseVatNumber(vat);
    if (!parsed.ok) reader.fail(`${path} (BT-48)`, parsed.reason, reasonOf(parsed));
    vatNumber = parsed.value;
  }
  return { siren, vatNumber };
}

function finish(
  reader: XmlReader,
  raw: Omit<EInvoice, 'dueDate' | 'dueDateSource'> & { dueDate: IsoDate | null },
): EInvoice {
  if (!isCurrencyCode(raw.currency))
    reader.fail('currency (BT-5)', `"${raw.currency}" is not an ISO 4217 currency code`, {
      key: 'reason.xml.notCurrency',
      params: { value: raw.currency },
    });
  if (raw.total < 0) reader.fail('total (BT-112)', 'is negative', { key: 'reason.xml.negative' });
  if (raw.due > raw.total)
    reader.fail('amount due (BT-115)', 'is more than the total including tax (BT-112)', {
      key: 'reason.xml.dueAboveTotal',
    });
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
  if (dueDate < raw.issueDate)
    reader.fail('due date (BT-9)', `${dueDate} is before the issue date ${raw.issueDate}`, {
      key: 'reason.xml.dueBeforeIssue',
      params: { due: dueDate, issue: raw.issueDate },
    });
  return { ...raw, dueDate, dueDateSource };
}

function readCii(reader: XmlReader, root: XmlElement, format: EInvoiceFormat): EInvoice {
  const doc = 'ExchangedDocument';
  const typeCode = textAt(root, `${doc}/TypeCode`);
  const number = required(reader, root, `${doc}/ID`, 'bt1');
  const issuePath = `${doc}/IssueDateTime/DateTimeString`;
  const issueDate = xmlDate(reader, issuePath, required(reader, root, issuePath, 'bt2'));
  const tx = first(root, 'SupplyChainTradeTransaction');
  const settlement = first(tx, 'ApplicableHeaderTradeSettlement');
  const currencyPath = 'SupplyChainTradeTransaction/ApplicableHeaderTradeSettlement/InvoiceCurrencyCode';
  const currency = required(reader, root, currencyPath, 'bt5');
  const sums = 'SpecifiedTradeSettlementHeaderMonetarySummation';
  const amount = (name: string, term: BusinessTerm | null, optional = false): Cents | null => {
    const path = `${sums}/${name}`;
    const value = textAt(settlement, path);
    if (value === null) return optional || term === null ? null : missing(reader, path, term);
    return xmlAmount(reader, path, value, currency);
  };
  const total = amount('GrandTotalAmount', 'bt112')!;
  const paid = amount('TotalPrepaidAmount', null, true) ?? 0;
  const due = amount('DuePayableAmount', 'bt115')!;
  const terms = first(settlement, 'SpecifiedTradePaymentTerms');
  const duePath = 'SpecifiedTradePaymentTerms/DueDateDateTime/DateTimeString';
  const dueText = textAt(settlement, duePath);
  const buyer = first(tx, 'ApplicableHeaderTradeAgreement/BuyerTradeParty');
  const buyerPath = 'ApplicableHeaderTradeAgreement/BuyerTradeParty';
  if (!buyer) missing(reader, buyerPath, 'bg7');
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
    totalExclTax: amount('TaxBasisTotalAmount', null, true),
    total,
    paid,
    due,
    buyer: {
      name: required(reader, buyer, 'Name', 'bt44'),
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
  const number = required(reader, root, 'ID', 'bt1');
  const issueDate = xmlDate(reader, 'IssueDate', required(reader, root, 'IssueDate', 'bt2'));
  const currency = required(reader, root, 'DocumentCurrencyCode', 'bt5');
  const amount = (name: string, term: BusinessTerm | null, optional = false): Cents | null => {
    const path = `LegalMonetaryTotal/${name}`;
    const value = textAt(root, path);
    if (value === null) return optional || term === null ? null : missing(reader, path, term);
    return xmlAmount(reader, path, value, currency);
  };
  const buyerPath = 'AccountingCustomerParty/Party';
  const buyer = first(root, buyerPath);
  if (!buyer) missing(reader, buyerPath, 'bg7');
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
    totalExclTax: amount('TaxExclusiveAmount', null, true),
    total: amount('TaxInclusiveAmount', 'bt112')!,
    paid: amount('PrepaidAmount', null, true) ?? 0,
    due: amount('PayableAmount', 'bt115')!,
    buyer: {
      name:
        textAt(buyer, 'PartyLegalEntity/RegistrationName') ??
        textAt(buyer, 'PartyName/Name') ??
        missing(reader, `${buyerPath}/PartyLegalEntity/RegistrationName`, 'bt44'),
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
    { key: 'reason.xml.notEInvoice' },
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
