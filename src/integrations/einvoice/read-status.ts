import type { IsoDate } from '../../domain/calendar.ts';
import type { Cents } from '../../domain/money.ts';
import { all, attributeAt, first, textAt, xmlAmount, xmlDate, type XmlElement, type XmlReader } from '../xml.ts';

/**
 * The lifecycle statuses of the French e-invoicing reform that change what relance does. Others (200
 * déposée … 206 approuvée partiellement, 209 complétée, 213 rejetée …) are read and recorded but change
 * nothing in the dunning.
 */
export const LIFECYCLE_STATUSES: Record<
  number,
  { label: string; effect: 'dispute' | 'hold' | 'stop' | 'payment_sent' | 'paid' | 'none' }
> = {
  200: { label: 'Déposée', effect: 'none' },
  201: { label: 'Émise par la plateforme', effect: 'none' },
  202: { label: 'Reçue par la plateforme', effect: 'none' },
  203: { label: 'Mise à disposition', effect: 'none' },
  204: { label: 'Prise en charge', effect: 'none' },
  205: { label: 'Approuvée', effect: 'none' },
  206: { label: 'Approuvée partiellement', effect: 'none' },
  207: { label: 'En litige', effect: 'dispute' },
  208: { label: 'Suspendue', effect: 'hold' },
  209: { label: 'Complétée', effect: 'none' },
  210: { label: 'Refusée', effect: 'stop' },
  211: { label: 'Paiement transmis', effect: 'payment_sent' },
  212: { label: 'Encaissée', effect: 'paid' },
  213: { label: 'Rejetée', effect: 'none' },
};

export type LifecycleStatus = {
  invoiceNumber: string;
  code: number;
  date: IsoDate;
  /** The amount a 212 "Encaissée" reports as collected; null means the whole balance. */
  amount: Cents | null;
  currency: string | null;
  note: string | null;
};

function dateOf(reader: XmlReader, node: XmlElement | undefined, path: string): IsoDate | null {
  const value = textAt(node, path);
  return value === null ? null : xmlDate(reader, path, value);
}

/**
 * Reads a CDAR (UN/CEFACT CrossDomainAcknowledgementAndResponse) status message, the format the reform
 * uses for lifecycle statuses: one status per referenced invoice (ReferenceReferencedDocument with
 * IssuerAssignedID and ProcessConditionCode), dated by the acknowledgement or the message, with the
 * collected amount of a 212 in a SpecifiedDocumentStatus characteristic (type MEN) when given.
 */
export function readLifecycleStatuses(reader: XmlReader, root: XmlElement): LifecycleStatus[] {
  const ack = first(root, 'AcknowledgementDocument');
  if (!ack)
    reader.fail('AcknowledgementDocument', 'is missing (not a lifecycle status message)', {
      key: 'reason.xml.notStatusMessage',
    });
  const messageDate =
    dateOf(reader, ack, 'IssueDateTime/DateTimeString') ??
    dateOf(reader, root, 'ExchangedDocument/IssueDateTime/DateTimeString');
  const references = all(ack, 'ReferenceReferencedDocument');
  if (references.length === 0)
    reader.fail('AcknowledgementDocument/ReferenceReferencedDocument', 'is missing (which invoice?)', {
      key: 'reason.xml.noInvoiceReference',
    });
  return references.map((ref, index) => {
    const where = `AcknowledgementDocument/ReferenceReferencedDocument[${index + 1}]`;
    const invoiceNumber =
      textAt(ref, 'IssuerAssignedID') ??
      reader.fail(`${where}/IssuerAssignedID`, 'is missing (invoice number)', {
        key: 'reason.xml.missing',
        params: { term: 'invoiceNumber' },
      });
    const codeText =
      textAt(ref, 'ProcessConditionCode') ??
      reader.fail(`${where}/ProcessConditionCode`, 'is missing (status code)', {
        key: 'reason.xml.missing',
        params: { term: 'statusCode' },
      });
    const code = Number(codeText);
    if (!Number.isInteger(code) || !(code in LIFECYCLE_STATUSES)) {
      reader.fail(`${where}/ProcessConditionCode`, `"${codeText}" is not a lifecycle status (200 to 213)`, {
        key: 'reason.xml.notLifecycleStatus',
        params: { value: codeText },
      });
    }
    const date =
      dateOf(reader, ref, 'ReceiptDateTime/DateTimeString') ??
      messageDate ??
      reader.fail(`${where}`, 'has no date (AcknowledgementDocument/IssueDateTime)', { key: 'reason.xml.noDate' });
    const statuses = all(ref, 'SpecifiedDocumentStatus');
    const characteristic = statuses
      .flatMap((s) => all(s, 'SpecifiedDocumentCharacteristic'))
      .find((c) => textAt(c, 'TypeCode') === 'MEN' || textAt(c, 'ValueAmount') !== null);
    const amountText = textAt(characteristic, 'ValueAmount');
    const currency = attributeAt(characteristic, 'ValueAmount', 'currencyID');
    const amount =
      amountText === null
        ? null
        : xmlAmount(
            reader,
            `${where}/SpecifiedDocumentStatus/SpecifiedDocumentCharacteristic/ValueAmount`,
            amountText,
            currency ?? 'EUR',
          );
    if (amount !== null && amount <= 0)
      reader.fail(`${where}/SpecifiedDocumentStatus`, 'the collected amount must be positive', {
        key: 'reason.xml.collectedPositive',
      });
    const note =
      statuses.map((s) => textAt(s, 'Reason') ?? textAt(s, 'IncludedNote/Content')).find((t) => t !== null) ??
      textAt(ref, 'ProcessCondition');
    return { invoiceNumber, code, date, amount, currency, note: note ?? null };
  });
}
