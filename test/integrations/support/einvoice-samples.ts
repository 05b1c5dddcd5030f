import PDFDocument from 'pdfkit';
import { InvoiceService, type Invoice } from '@e-invoice-eu/core';

/** What a sample e-invoice says, in the units a reader expects (euros as decimal strings). */
export type SampleInvoice = {
  number: string;
  issueDate: string;
  dueDate?: string;
  paymentTerms?: string;
  currency?: string;
  net: string;
  vat: string;
  total: string;
  paid?: string;
  due: string;
  buyer: { name: string; siren?: string; vat?: string; email?: string };
  /** Makes it a credit note (type 381) correcting this invoice (BT-25). */
  corrects?: string;
};

/** An EN16931 invoice in @e-invoice-eu/core's internal (UBL-shaped) format, one line at 20 % VAT. */
export function sampleInvoiceData(sample: SampleInvoice): Invoice {
  const currency = (sample.currency ?? 'EUR') as Invoice['ubl:Invoice']['cbc:DocumentCurrencyCode'];
  const buyerParty: Record<string, unknown> = {
    'cac:PostalAddress': {
      'cbc:StreetName': '12 rue des Lilas',
      'cbc:CityName': 'Lyon',
      'cbc:PostalZone': '69003',
      'cac:Country': { 'cbc:IdentificationCode': 'FR' },
    },
    'cac:PartyLegalEntity': {
      'cbc:RegistrationName': sample.buyer.name,
      ...(sample.buyer.siren ? { 'cbc:CompanyID': sample.buyer.siren, 'cbc:CompanyID@schemeID': '0002' } : {}),
    },
  };
  if (sample.buyer.email) {
    buyerParty['cbc:EndpointID'] = sample.buyer.email;
    buyerParty['cbc:EndpointID@schemeID'] = 'EM';
    buyerParty['cac:Contact'] = { 'cbc:ElectronicMail': sample.buyer.email };
  }
  if (sample.buyer.vat) {
    buyerParty['cac:PartyTaxScheme'] = { 'cbc:CompanyID': sample.buyer.vat, 'cac:TaxScheme': { 'cbc:ID': 'VAT' } };
  }
  const data = {
    'ubl:Invoice': {
      'cbc:ID': sample.number,
      'cbc:IssueDate': sample.issueDate,
      ...(sample.dueDate ? { 'cbc:DueDate': sample.dueDate } : {}),
      'cbc:InvoiceTypeCode': sample.corrects ? '381' : '380',
      'cbc:DocumentCurrencyCode': currency,
      'cbc:BuyerReference': 'REF-ACHAT',
      ...(sample.corrects
        ? { 'cac:BillingReference': [{ 'cac:InvoiceDocumentReference': { 'cbc:ID': sample.corrects } }] }
        : {}),
      'cac:AccountingSupplierParty': {
        'cac:Party': {
          'cbc:EndpointID': 'factures@atelier-durand.fr',
          'cbc:EndpointID@schemeID': 'EM',
          'cac:PostalAddress': {
            'cbc:StreetName': '3 place Bellecour',
            'cbc:CityName': 'Lyon',
            'cbc:PostalZone': '69002',
            'cac:Country': { 'cbc:IdentificationCode': 'FR' },
          },
          'cac:PartyTaxScheme': [{ 'cbc:CompanyID': 'FR40303265045', 'cac:TaxScheme': { 'cbc:ID': 'VAT' } }],
          'cac:PartyLegalEntity': {
            'cbc:RegistrationName': 'Atelier Durand SARL',
            'cbc:CompanyID': '303265045',
            'cbc:CompanyID@schemeID': '0002',
          },
        },
      },
      'cac:AccountingCustomerParty': { 'cac:Party': buyerParty },
      'cac:PaymentMeans': [
        { 'cbc:PaymentMeansCode': '30', 'cac:PayeeFinancialAccount': { 'cbc:ID': 'FR7630006000011234567890189' } },
      ],
      ...(sample.paymentTerms ? { 'cac:PaymentTerms': { 'cbc:Note': sample.paymentTerms } } : {}),
      'cac:TaxTotal': [
        {
          'cbc:TaxAmount': sample.vat,
          'cbc:TaxAmount@currencyID': currency,
          'cac:TaxSubtotal': [
            {
              'cbc:TaxableAmount': sample.net,
              'cbc:TaxableAmount@currencyID': currency,
              'cbc:TaxAmount': sample.vat,
              'cbc:TaxAmount@currencyID': currency,
              'cac:TaxCategory': { 'cbc:ID': 'S', 'cbc:Percent': '20', 'cac:TaxScheme': { 'cbc:ID': 'VAT' } },
            },
          ],
        },
      ],
      'cac:LegalMonetaryTotal': {
        'cbc:LineExtensionAmount': sample.net,
        'cbc:LineExtensionAmount@currencyID': currency,
        'cbc:TaxExclusiveAmount': sample.net,
        'cbc:TaxExclusiveAmount@currencyID': currency,
        'cbc:TaxInclusiveAmount': sample.total,
        'cbc:TaxInclusiveAmount@currencyID': currency,
        ...(sample.paid ? { 'cbc:PrepaidAmount': sample.paid, 'cbc:PrepaidAmount@currencyID': currency } : {}),
        'cbc:PayableAmount': sample.due,
        'cbc:PayableAmount@currencyID': currency,
      },
      'cac:InvoiceLine': [
        {
          'cbc:ID': '1',
          'cbc:InvoicedQuantity': '1',
          'cbc:InvoicedQuantity@unitCode': 'C62',
          'cbc:LineExtensionAmount': sample.net,
          'cbc:LineExtensionAmount@currencyID': currency,
          'cac:Item': {
            'cbc:Name': 'Prestation de conseil',
            'cac:ClassifiedTaxCategory': { 'cbc:ID': 'S', 'cbc:Percent': '20', 'cac:TaxScheme': { 'cbc:ID': 'VAT' } },
          },
          'cac:Price': { 'cbc:PriceAmount': sample.net, 'cbc:PriceAmount@currencyID': currency },
        },
      ],
    },
  };
  return data as unknown as Invoice;
}

/** A one-page PDF showing the invoice, as the seller's software would print it. */
export function sampleInvoicePdf(sample: SampleInvoice): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    const doc = new PDFDocument({ size: 'A4', info: { CreationDate: new Date('2026-01-01T00:00:00Z') } });
    const chunks: Buffer[] = [];
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(new Uint8Array(Buffer.concat(chunks))));
    doc.on('error', reject);
    doc.fontSize(18).text(`Facture ${sample.number}`);
    doc
      .fontSize(11)
      .text(`Client : ${sample.buyer.name}`)
      .text(`Total TTC : ${sample.total} ${sample.currency ?? 'EUR'}`);
    doc.end();
  });
}

const silent = { log() {}, warn() {}, error() {} };

/** The sample as a real e-invoice file: `cii` / `ubl` XML text, or a Factur-X EN16931 PDF. */
export async function generateEInvoice(
  sample: SampleInvoice,
  format: 'cii' | 'ubl' | 'factur-x',
  profile: 'EN16931' | 'Basic' | 'Extended' = 'EN16931',
  options: { embedPdf?: boolean } = {},
): Promise<Uint8Array> {
  const service = new InvoiceService(silent);
  const data = sampleInvoiceData(sample);
  if (format === 'factur-x') {
    const pdf = await sampleInvoicePdf(sample);
    const out = await service.generate(data, {
      format: `Factur-X-${profile}`,
      lang: 'fr-fr',
      noWarnings: true,
      pdf: { buffer: pdf, filename: `${sample.number}.pdf`, mimetype: 'application/pdf' },
    });
    return typeof out === 'string' ? new TextEncoder().encode(out) : out;
  }
  const out = await service.generate(data, {
    format: format === 'cii' ? 'CII' : 'UBL',
    lang: 'fr-fr',
    noWarnings: true,
    ...(options.embedPdf
      ? {
          embedPDF: true,
          pdf: {
            buffer: await sampleInvoicePdf(sample),
            filename: `${sample.number}.pdf`,
            mimetype: 'application/pdf',
          },
        }
      : {}),
  });
  return typeof out === 'string' ? new TextEncoder().encode(out) : out;
}

export type SampleStatus = { invoice: string; code: number; date: string; amount?: string; reason?: string };

/** A CDAR lifecycle status message (CrossDomainAcknowledgementAndResponse) as a platform sends it. */
export function cdarStatusXml(statuses: SampleStatus[], messageDate = '20260301'): string {
  const refs = statuses
    .map(
      (s) => `
    <ram:ReferenceReferencedDocument>
      <ram:IssuerAssignedID>${s.invoice}</ram:IssuerAssignedID>
      <ram:TypeCode>380</ram:TypeCode>
      <ram:ReceiptDateTime><udt:DateTimeString format="102">${s.date.replaceAll('-', '')}</udt:DateTimeString></ram:ReceiptDateTime>
      <ram:ProcessConditionCode>${s.code}</ram:ProcessConditionCode>
      ${
        s.amount || s.reason
          ? `<ram:SpecifiedDocumentStatus>
        ${s.reason ? `<ram:Reason>${s.reason}</ram:Reason>` : ''}
        ${
          s.amount
            ? `<ram:SpecifiedDocumentCharacteristic><ram:TypeCode>MEN</ram:TypeCode>
          <ram:ValueAmount currencyID="EUR">${s.amount}</ram:ValueAmount></ram:SpecifiedDocumentCharacteristic>`
            : ''
        }
      </ram:SpecifiedDocumentStatus>`
          : ''
      }
    </ram:ReferenceReferencedDocument>`,
    )
    .join('');
  return `<?xml version="1.0" encoding="UTF-8"?>
<rsm:CrossDomainAcknowledgementAndResponse
  xmlns:rsm="urn:un:unece:uncefact:data:standard:CrossDomainAcknowledgementAndResponse:100"
  xmlns:ram="urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100"
  xmlns:udt="urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100">
  <rsm:ExchangedDocumentContext>
    <ram:GuidelineSpecifiedDocumentContextParameter><ram:ID>urn.cpro.gouv.fr:1p0:CDV:invoice</ram:ID></ram:GuidelineSpecifiedDocumentContextParameter>
  </rsm:ExchangedDocumentContext>
  <rsm:ExchangedDocument>
    <ram:ID>CDV-${messageDate}</ram:ID>
    <ram:IssueDateTime><udt:DateTimeString format="102">${messageDate}</udt:DateTimeString></ram:IssueDateTime>
  </rsm:ExchangedDocument>
  <rsm:AcknowledgementDocument>
    <ram:TypeCode>305</ram:TypeCode>
    <ram:IssueDateTime><udt:DateTimeString format="102">${messageDate}</udt:DateTimeString></ram:IssueDateTime>${refs}
  </rsm:AcknowledgementDocument>
</rsm:CrossDomainAcknowledgementAndResponse>
`;
}
