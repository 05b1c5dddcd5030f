import { contextAddress } from '../communications/format.ts';
import type { Company } from '../domain/ledger.ts';
import { toCsv } from './csv.ts';
import { toPdf } from './pdf.ts';
import type { ReportDocument } from './table.ts';
import { toXlsx } from './xlsx.ts';

export type ExportFormat = 'csv' | 'xlsx' | 'pdf';
export const EXPORT_FORMATS: ExportFormat[] = ['csv', 'xlsx', 'pdf'];

export const MEDIA_TYPES: Record<ExportFormat, string> = {
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  pdf: 'application/pdf',
};

/** The report's bytes in one format; the PDF's footer carries the company's identity. */
export async function renderExport(document: ReportDocument, format: ExportFormat, company: Company): Promise<Buffer> {
  if (format === 'csv') return toCsv(document);
  if (format === 'xlsx') return toXlsx(document);
  return toPdf(document, {
    legalName: company.legalName,
    siren: company.siren,
    vatNumber: company.vatNumber,
    address: contextAddress(company.address, company.address.country, document.language),
  });
}

/** `balance-agee-2025-06-30.csv`: a file name without spaces or accents. */
export function exportFileName(document: ReportDocument, format: ExportFormat): string {
  const slug = document.title
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
  return `${slug}-${document.date}.${format}`;
}
