import { qrDarkRuns } from '../documents/epc-qr.ts';

/**
 * The page is built as strings: every value from the ledger or the visitor goes through `h`, and only markup written
 * here is left as is. No script at all; the policy below forbids any.
 */
const SPECIAL = /[&<>"']/;

export function h(value: string | number | null | undefined): string {
  const text = String(value ?? '');
  // Most values (numbers, dates, amounts, labels) have nothing to escape: one test instead of five replacements.
  if (!SPECIAL.test(text)) return text;
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

export const PORTAL_CSP = [
  "default-src 'none'",
  "style-src 'unsafe-inline'",
  "img-src 'self' data:",
  "form-action 'self'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** The headers of every portal answer: nothing cached, framed, sniffed or referred. */
export const PORTAL_HEADERS: Record<string, string> = {
  'content-type': 'text/html; charset=utf-8',
  'content-security-policy': PORTAL_CSP,
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-store',
  'x-content-type-options': 'nosniff',
};

const STYLE = `body{margin:0;font:15px/1.5 Arial,Helvetica,sans-serif;color:#1f2937;background:#f8fafc}
main{max-width:860px;margin:0 auto;padding:24px;background:#fff}
header{display:flex;gap:16px;align-items:center;border-bottom:1px solid #e5e7eb;padding-bottom:12px}
header img{max-height:64px;max-width:200px}
h1{font-size:22px;margin:16px 0 8px}h2{font-size:18px;margin:24px 0 8px}
table{border-collapse:collapse;width:100%;font-size:14px}th,td{padding:6px 8px;border-bottom:1px solid #e5e7eb;text-align:left}
td.n,th.n{text-align:right;white-space:nowrap}tfoot td{font-weight:bold}
.notice{background:#ecfdf5;border:1px solid #10b981;padding:8px 12px}.errors{background:#fef2f2;border:1px solid #ef4444;padding:8px 12px}
.pay{display:flex;gap:24px;flex-wrap:wrap}.qr svg{width:160px;height:160px}
details{border:1px solid #e5e7eb;padding:8px 12px;margin:8px 0}summary{font-weight:bold;cursor:pointer}
label{display:block;margin:8px 0 2px}input,select,textarea{font:inherit;padding:4px;max-width:100%}
textarea{width:100%;min-height:80px}button{font:inherit;margin-top:12px;padding:6px 16px}
a.button{display:inline-block;padding:8px 16px;background:#1d4ed8;color:#fff;text-decoration:none;border-radius:4px}
small{color:#6b7280}`;

export function document(language: string, title: string, body: string): string {
  return (
    `<!DOCTYPE html><html lang="${h(language)}"><head><meta charset="utf-8">` +
    `<meta name="viewport" content="width=device-width, initial-scale=1"><meta name="robots" content="noindex">` +
    `<title>${h(title)}</title><style>${STYLE}</style></head><body><main>${body}</main></body></html>`
  );
}

/**
 * Drawn codes by payload and label: a customer's page shows the same code on every view until a payment changes
 * the amount, and drawing one (Reed-Solomon, masking) costs more than the rest of the page. Emptied when full.
 */
const MAX_CODES = 2000;
const drawn = new Map<string, string>();

/** The QR code as inline SVG: one path of dark modules, a quiet zone of four. */
export function qrSvg(payload: string, label: string): string {
  const id = `${label}\u0000${payload}`;
  let svg = drawn.get(id);
  if (svg === undefined) {
    svg = drawQrSvg(payload, label);
    if (drawn.size >= MAX_CODES) drawn.clear();
    drawn.set(id, svg);
  }
  return svg;
}

function drawQrSvg(payload: string, label: string): string {
  const { count, runs } = qrDarkRuns(payload);
  const parts: string[] = [];
  for (let i = 0; i < runs.length; i += 3) {
    const row = runs[i]!;
    const start = runs[i + 1]!;
    const length = runs[i + 2]!;
    parts.push(`M${start + 4} ${row + 4}h${length}v1h-${length}z`);
  }
  const size = count + 8;
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${size} ${size}" role="img" aria-label="${h(label)}">` +
    `<rect width="${size}" height="${size}" fill="#fff"/><path d="${parts.join('')}" fill="#000"/></svg>`
  );
}
