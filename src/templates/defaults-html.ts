/**
 * The HTML shell of the default e-mails: one column, inline styles (mail clients drop <style>), a table of
 * the invoices concerned. Values are escaped by the engine; only the fixed markup here is raw.
 */
export type HtmlLabels = {
  lang: string;
  invoice: string;
  issued: string;
  due: string;
  total: string;
  balance: string;
  late: string;
  days: string;
  totalBalance: string;
};

const CELL = 'style="padding:6px 8px;border-bottom:1px solid #e3e3e3;"';
const CELL_RIGHT = 'style="padding:6px 8px;border-bottom:1px solid #e3e3e3;text-align:right;white-space:nowrap;"';
const HEAD = 'style="padding:6px 8px;text-align:left;background:#f3f4f6;"';
const HEAD_RIGHT = 'style="padding:6px 8px;text-align:right;background:#f3f4f6;"';

export function invoiceTableHtml(l: HtmlLabels): string {
  return `<table role="presentation" style="border-collapse:collapse;margin:16px 0;font-size:14px;">
<thead><tr><th ${HEAD}>${l.invoice}</th><th ${HEAD}>${l.issued}</th><th ${HEAD}>${l.due}</th><th ${HEAD_RIGHT}>${l.total}</th><th ${HEAD_RIGHT}>${l.balance}</th><th ${HEAD_RIGHT}>${l.late}</th></tr></thead>
<tbody>
{% for invoice in invoices %}<tr><td ${CELL}>{{ invoice.number }}</td><td ${CELL}>{{ invoice.issueDateText }}</td><td ${CELL}>{{ invoice.dueDateText }}</td><td ${CELL_RIGHT}>{{ invoice.total }}</td><td ${CELL_RIGHT}>{{ invoice.balance }}</td><td ${CELL_RIGHT}>{% if invoice.daysOverdue > 0 %}{{ invoice.daysOverdue }} ${l.days}{% endif %}</td></tr>
{% endfor %}</tbody>
<tfoot><tr><td colspan="4" style="padding:6px 8px;font-weight:bold;">${l.totalBalance}</td><td style="padding:6px 8px;text-align:right;font-weight:bold;white-space:nowrap;">{{ totals.balance }}</td><td></td></tr></tfoot>
</table>`;
}

/** `paragraphs` are HTML fragments (already holding liquid), each becoming one block. */
export function htmlDocument(lang: string, paragraphs: string[]): string {
  // Fragments that bring their own blocks (the table, paragraphs inside a loop) are not wrapped again.
  const body = paragraphs
    .map((p) => (p.startsWith('<table') || p.includes('<p ') ? p : `<p style="margin:0 0 12px;">${p}</p>`))
    .join('\n');
  return `<!DOCTYPE html>
<html lang="${lang}">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"></head>
<body style="margin:0;padding:24px;font-family:Arial,Helvetica,sans-serif;font-size:15px;line-height:1.5;color:#1f2937;">
<div style="max-width:640px;">
${body}
</div>
</body>
</html>
`;
}
