import QRCode from 'qrcode';
import type { Pdf } from './pdf-document.ts';

/**
 * The SEPA credit-transfer QR code of the European Payments Council (EPC069-12, version 002): banking
 * apps read it and fill in the beneficiary, IBAN, amount and reference of the transfer.
 */
export type EpcPayment = {
  name: string;
  iban: string;
  bic: string | null;
  amountCents: number;
  currency: string;
  /** Unstructured remittance text: the reference the customer must quote. */
  reference: string;
};

const MAX_CENTS = 99_999_999_999;

/** The payload, or null when the standard cannot carry this payment (not EUR, no IBAN, amount out of range). */
export function epcPayload(payment: EpcPayment): string | null {
  const iban = payment.iban.replace(/\s+/g, '').toUpperCase();
  if (payment.currency !== 'EUR' || !/^[A-Z]{2}\d{2}[A-Z0-9]{8,30}$/.test(iban)) return null;
  if (payment.amountCents < 1 || payment.amountCents > MAX_CENTS) return null;
  const amount = `EUR${Math.floor(payment.amountCents / 100)}.${String(payment.amountCents % 100).padStart(2, '0')}`;
  const clean = (text: string, max: number) =>
    text
      .replace(/[\r\n]+/g, ' ')
      .trim()
      .slice(0, max);
  const fields = [
    'BCD',
    '002',
    '1',
    'SCT',
    (payment.bic ?? '').replace(/\s+/g, '').toUpperCase(),
    clean(payment.name, 70),
    iban,
    amount,
    '',
    '',
    clean(payment.reference, 140),
  ];
  return fields.join('\n');
}

/**
 * Encodes `payload` as a QR code: the modules per side and each run of dark modules on a row, as flat triples
 * (row, first column, length) without the quiet zone, so a drawing is one rectangle per run rather than per module.
 * Error correction M, as the EPC guideline asks. The mask is fixed rather than chosen by scoring all eight (any
 * mask is valid and scans; the scoring was a third of a letter's rendering time).
 */
export function qrDarkRuns(payload: string): { count: number; runs: number[] } {
  const { modules } = QRCode.create(payload, { errorCorrectionLevel: 'M', maskPattern: 2 });
  const count = modules.size;
  const runs: number[] = [];
  for (let row = 0; row < count; row++) {
    let col = 0;
    while (col < count) {
      if (!modules.get(row, col)) {
        col++;
        continue;
      }
      const start = col;
      while (col < count && modules.get(row, col)) col++;
      runs.push(row, start, col - start);
    }
  }
  return { count, runs };
}

/**
 * Draws the QR code as vector squares at (x, y), `size` points wide, quiet zone included, written as raw path
 * operators in one go: a batch draws thousands.
 */
export function drawQr(doc: Pdf, payload: string, x: number, y: number, size: number): void {
  const { count, runs } = qrDarkRuns(payload);
  const cell = size / (count + 8);
  const left = x + 4 * cell;
  const top = y + 4 * cell;
  const n = (v: number) => v.toFixed(2);
  const ops: string[] = [];
  for (let i = 0; i < runs.length; i += 3) {
    const row = runs[i]!;
    const start = runs[i + 1]!;
    const length = runs[i + 2]!;
    // A hair of overlap keeps viewers from showing seams between adjacent rectangles.
    ops.push(`${n(left + start * cell)} ${n(top + row * cell)} ${n(length * cell + 0.05)} ${n(cell + 0.05)} re`);
  }
  doc.save();
  doc.fillColor('#000000');
  // Same user space as doc.rect (pdfkit's page transform flips y), without one call per rectangle.
  (doc as unknown as { addContent(ops: string): void }).addContent(ops.join('\n'));
  doc.fill();
  doc.restore();
}
