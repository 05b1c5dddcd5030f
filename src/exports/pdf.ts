import { formatDateText } from '../communications/format.ts';
import type { ContextAddress } from '../communications/message-context.ts';
import { BOLD } from '../documents/fonts.ts';
import { finish, line, newPdf } from '../documents/pdf-document.ts';
import { LEFT, PageFrame, TOP, title } from '../documents/page-frame.ts';
import { drawTable } from '../documents/table.ts';
import { cellText } from './display.ts';
import type { ReportDocument } from './table.ts';

export type PdfIssuer = { legalName: string; siren: string | null; vatNumber: string | null; address: ContextAddress };

/**
 * The report as an A4 landscape PDF with the documents layer's font, page frame (issuer footer, page
 * numbers, running title on continued pages) and table (header repeated on each page).
 */
export async function toPdf(document: ReportDocument, issuer: PdfIssuer): Promise<Buffer> {
  const { language } = document;
  const doc = newPdf({ title: document.title, date: document.date, language });
  const frame = new PageFrame(doc, issuer, language, document.title, 'landscape');
  frame.first();
  let y = title(doc, `${document.title} — ${issuer.legalName}`, TOP - 8, frame.right);
  line(
    doc,
    language === 'fr'
      ? `Au ${formatDateText(document.date, language)}`
      : `As of ${formatDateText(document.date, language)}`,
    LEFT,
    y,
    { size: 9 },
  );
  y += 18;
  for (const table of document.tables) {
    if (document.tables.length > 1) {
      y = frame.ensure(y, 60);
      line(doc, table.title, LEFT, y, { font: BOLD, size: 11 });
      y += 16;
    }
    const weights = table.columns.reduce((sum, c) => sum + (c.weight ?? 1), 0);
    const columns = table.columns.map((c) => ({
      header: c.header,
      width: (frame.width * (c.weight ?? 1)) / weights,
      align: c.kind === 'text' || c.kind === 'date' ? ('left' as const) : ('right' as const),
    }));
    const rows = table.rows.map((row) => table.columns.map((c, i) => cellText(row[i] ?? null, c, language)));
    if (rows.length === 0) {
      line(doc, language === 'fr' ? 'Aucune ligne.' : 'No rows.', LEFT, y, { size: 9 });
      y += 24;
    } else {
      y = drawTable(doc, LEFT, y, columns, rows, frame, { size: 7.5, boldLast: (table.totalRows ?? 0) > 0 }) + 24;
    }
  }
  return finish(doc);
}
