import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import QRCode from 'qrcode';
import type { MessageContext } from '../src/communications/message-context.ts';
import { renderBatchPdf, type BatchLetter } from '../src/documents/batch.ts';
import { epcPayload } from '../src/documents/epc-qr.ts';
import { fontBuffers } from '../src/documents/fonts.ts';
import { letterSubject } from '../src/documents/letter.ts';
import { planLetterRequests } from '../src/documents/plan-letters.ts';
import { prepareLetters } from '../src/documents/run-letters.ts';
import { DEFAULT_LETTER_SETTINGS } from '../src/domain/letter-settings.ts';
import { textsFor } from '../src/documents/texts.ts';
import { loadDemo } from '../src/demo/load-demo.ts';
import { ensureDefaultCompany } from '../src/storage/companies.ts';
import { openStore } from '../src/storage/database.ts';
import { DATA_DIR, machine, timed, writeResult } from './support.ts';

const AS_OF = '2026-11-25';
const CHROMIUM = '/usr/bin/chromium';

const escape = (text: string) => text.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);

function qrSvg(payload: string): string {
  const { modules } = QRCode.create(payload, { errorCorrectionLevel: 'M' });
  let path = '';
  for (let row = 0; row < modules.size; row++) {
    for (let col = 0; col < modules.size; col++) if (modules.get(row, col)) path += `M${col + 4} ${row + 4}h1v1h-1z`;
  }
  return `<svg class="qr" viewBox="0 0 ${modules.size + 8} ${modules.size + 8}"><path d="${path}"/></svg>`;
}

/** The same letter as HTML for Chromium: same font, window position, text, table, totals, QR code. */
function letterHtml(context: MessageContext, letterText: string): string {
  const t = textsFor(context.language);
  const w = DEFAULT_LETTER_SETTINGS.window;
  const recipient = [
    context.customer.name,
    ...(context.contact?.name ? [`À l’attention de ${context.contact.name}`] : []),
    ...context.customer.address.block,
  ];
  const rows = context.invoices
    .map(
      (i) =>
        `<tr><td>${escape(i.number)}</td><td>${i.issueDateText}</td><td>${i.dueDateText}</td>` +
        `<td class="n">${i.total.text}</td><td class="n">${i.paid.text}</td><td class="n">${i.balance.text}</td><td class="n">${i.daysOverdue}</td></tr>`,
    )
    .join('');
  const payload = context.company.iban
    ? epcPayload({
        name: context.company.legalName,
        iban: context.company.iban,
        bic: context.company.bic,
        amountCents: context.totals.balance.cents,
        currency: context.currency,
        reference: context.payment.reference,
      })
    : null;
  return `<section class="letter">
  <div class="head"><b>${escape(context.company.legalName)}</b><br>${context.company.address.block.map(escape).join('<br>')}
  ${context.company.siren ? `<br>${t.siren} ${context.company.siren}` : ''}</div>
  <div class="window" style="left:${w.leftMm}mm;top:${w.topMm}mm;width:${w.widthMm}mm;height:${w.heightMm}mm">
    <b>${escape(recipient[0]!)}</b><br>${recipient.slice(1).map(escape).join('<br>')}</div>
  <div class="body">
  <p class="date">${escape(t.placeDate(context.company.city, context.dateText))}</p>
  <p><b>${escape(`${t.subject} ${letterSubject(context)}`)}</b></p>
  ${letterText
    .split(/\n\s*\n/)
    .map((p) => `<p>${escape(p.trim())}</p>`)
    .join('')}
  <table><thead><tr>${t.columns.map((c) => `<th>${c}</th>`).join('')}</tr></thead><tbody>${rows}</tbody></table>
  <p class="n"><b>${t.due} ${context.totals.due.text}</b></p>
  ${context.level.charges ? `<p class="small">${escape(context.law.mention)}</p>` : ''}
  <div class="pay">${payload ? qrSvg(payload) : ''}<b>${t.payBy}</b><br>${t.iban} : ${escape(context.company.iban ?? '')}<br>
  ${t.reference} : ${escape(context.payment.reference)}</div>
  <p class="n"><b>${escape(context.company.legalName)}</b><br>${t.signature}</p></div>
  <div class="foot">${escape(context.company.legalName)} · ${context.company.address.block.map(escape).join(', ')}</div>
</section>`;
}

function batchHtml(letters: BatchLetter[]): string {
  const font = fontBuffers();
  return `<!doctype html><html><head><meta charset="utf-8"><style>
@font-face { font-family: 'DejaVu'; src: url(data:font/ttf;base64,${font.regular.toString('base64')}); }
@font-face { font-family: 'DejaVu'; font-weight: bold; src: url(data:font/ttf;base64,${font.bold.toString('base64')}); }
@page { size: A4; margin: 0; }
body { margin: 0; font-family: 'DejaVu'; font-size: 10pt; }
.letter { position: relative; width: 210mm; min-height: 297mm; break-after: page; }
.head { position: absolute; left: 20mm; top: 15mm; width: 65mm; font-size: 8.5pt; }
.window { position: absolute; box-sizing: border-box; padding: 5mm; }
.body { position: absolute; left: 20mm; right: 20mm; top: 73mm; }
.date, .n { text-align: right; } table { width: 100%; border-collapse: collapse; font-size: 8.5pt; }
th { background: #e8ecf1; text-align: left; } td { border-bottom: 0.4pt solid #c9d1db; } .small { font-size: 7.5pt; }
.qr { float: right; width: 32mm; height: 32mm; } .pay { overflow: hidden; font-size: 9pt; }
.foot { position: absolute; left: 20mm; bottom: 12mm; font-size: 7pt; color: #4b5563; }
</style></head><body>${letters.map((l) => letterHtml(l.context, l.letterText)).join('\n')}</body></html>`;
}

/**
 * CPU seconds used so far by a process and all its descendants (Linux /proc): Chromium renders in child
 * processes, and CPU time compares the two engines fairly on a machine other work is slowing down.
 */
function treeCpuSeconds(root: number): number | null {
  try {
    const stats = readdirSync('/proc')
      .filter((d) => /^\d+$/.test(d))
      .flatMap((pid) => {
        try {
          const fields = readFileSync(`/proc/${pid}/stat`, 'utf8')
            .replace(/^.*\) /, '')
            .split(' ');
          return [{ pid: Number(pid), ppid: Number(fields[1]), ticks: Number(fields[11]) + Number(fields[12]) }];
        } catch {
          return [];
        }
      });
    const inTree = new Set([root]);
    for (let grew = true; grew;) {
      grew = false;
      for (const s of stats)
        if (!inTree.has(s.pid) && inTree.has(s.ppid)) {
          inTree.add(s.pid);
          grew = true;
        }
    }
    return stats.filter((s) => inTree.has(s.pid)).reduce((sum, s) => sum + s.ticks, 0) / 100;
  } catch {
    return null;
  }
}

function cpuSeconds(start: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1e6;
}

type ChromeResult = { seconds: number; cpuSeconds: number | null; bytes: number; launchSeconds: number };

async function chromiumPdf(html: string): Promise<ChromeResult | string> {
  if (!existsSync(CHROMIUM)) return `skipped: ${CHROMIUM} is not installed (apt-get install chromium)`;
  const { chromium } = await import('playwright-core');
  const launch = await timed(() =>
    chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu'] }),
  );
  const browser = launch.result;
  try {
    const page = await browser.newPage();
    page.setDefaultTimeout(600_000);
    // Chromium's processes are children of this one: the tree's CPU is the whole cost of the PDF.
    const cpuBefore = treeCpuSeconds(process.pid);
    const run = await timed(async () => {
      await page.setContent(html, { waitUntil: 'load', timeout: 600_000 });
      return page.pdf({ format: 'A4', preferCSSPageSize: true, printBackground: true });
    });
    const cpuAfter = treeCpuSeconds(process.pid);
    const cpu = cpuBefore === null || cpuAfter === null ? null : cpuAfter - cpuBefore;
    return { seconds: run.seconds, cpuSeconds: cpu, bytes: run.result.length, launchSeconds: launch.seconds };
  } finally {
    await browser.close();
  }
}

/**
 * A batch of real letters (demo ledger → plan → shared context loader → templates) rendered with pdfkit
 * and the embedded font, then the same letters as HTML printed by Chromium's page.pdf(), in the same run.
 */
export async function benchLetters(options: { letters: number; seed: number }): Promise<Record<string, unknown>> {
  const customers = Math.ceil(options.letters * 2.5);
  const file = join(DATA_DIR, `letters-${customers}-${options.seed}.db`);
  const fresh = !existsSync(file);
  const store = await openStore(file);
  const company = await ensureDefaultCompany(store.db);
  if (fresh)
    await loadDemo(store.db, company.id, { customers, invoices: customers * 8, seed: options.seed, asOf: AS_OF });
  const requests = (await planLetterRequests(store.db, company.id, { date: AS_OF })).slice(0, options.letters);
  if (requests.length < options.letters) console.warn(`the plan has only ${requests.length} communications`);
  const prepared = await timed(() => prepareLetters(store.db, company.id, requests));
  await store.close();
  const letters = prepared.result;
  const meta = { title: 'bench', date: AS_OF, language: 'fr' as const };
  await renderBatchPdf(letters.slice(0, 20), DEFAULT_LETTER_SETTINGS, meta); // warm up the JIT and the font parser
  const cpuStart = process.cpuUsage();
  const pdfkit = await timed(() => renderBatchPdf(letters, DEFAULT_LETTER_SETTINGS, meta));
  const pdfkitCpu = cpuSeconds(cpuStart);
  const perSecond = letters.length / pdfkit.seconds;
  const perCpuSecond = letters.length / pdfkitCpu;
  const html = batchHtml(letters);
  const load = loadavg()[0]!;
  const chrome = await chromiumPdf(html);
  const ran = typeof chrome !== 'string';
  const chromeRate = ran ? letters.length / chrome.seconds : null;
  const chromeCpuRate = ran && chrome.cpuSeconds ? letters.length / chrome.cpuSeconds : null;
  const result = {
    letters: letters.length,
    pages: pdfkit.result.pages,
    prepareSeconds: prepared.seconds,
    pdfkitSeconds: pdfkit.seconds,
    pdfkitCpuSeconds: pdfkitCpu,
    pdfkitLettersPerSecond: perSecond,
    pdfkitLettersPerCpuSecond: perCpuSecond,
    pdfkitBytes: pdfkit.result.pdf.length,
    chromium: chrome,
    chromiumLettersPerSecond: chromeRate,
    chromiumLettersPerCpuSecond: chromeCpuRate,
    speedup: chromeRate === null ? null : perSecond / chromeRate,
    cpuSpeedup: chromeCpuRate === null ? null : perCpuSecond / chromeCpuRate,
    loadAverage: load,
  };
  const rate = (n: number | null) => (n === null ? 'n/a' : `${Math.round(n)} letters/s`);
  const chromeLine = !ran
    ? `| Chromium page.pdf() | ${chrome} | |`
    : `| Chromium page.pdf() of the same letters as HTML (same font; launch ${chrome.launchSeconds.toFixed(1)} s not counted) | ` +
      `${chrome.seconds.toFixed(2)} s, ${rate(chromeRate)} | ${chrome.cpuSeconds?.toFixed(2) ?? 'n/a'} s, ${rate(chromeCpuRate)} |`;
  const md = `# Letters benchmark

Machine: ${machine()}; load average ${load.toFixed(1)} when Chromium started (other work shares the cores, so CPU
time is given beside wall time). ${letters.length.toLocaleString('en-US')} reminder letters of the demo ledger's plan on
${AS_OF} (${pdfkit.result.pages.toLocaleString('en-US')} pages), one batch. pdfkit runs on one core (one thread); CPU time
of Chromium counts the browser and all its child processes.

| step | wall time | CPU time |
|---|---|---|
| contexts and letter texts (shared loader, templates) | ${prepared.seconds.toFixed(2)} s | |
| **pdfkit batch, embedded DejaVu font** (target ≥ 300 letters/s), ${(pdfkit.result.pdf.length / 2 ** 20).toFixed(1)} MiB | **${pdfkit.seconds.toFixed(2)} s, ${rate(perSecond)}** | ${pdfkitCpu.toFixed(2)} s, ${rate(perCpuSecond)} |
${chromeLine}
${ran ? `| pdfkit faster than Chromium (target ≥ 10×) | **${result.speedup!.toFixed(1)}×** | ${result.cpuSpeedup === null ? 'n/a' : `**${result.cpuSpeedup.toFixed(1)}×**`} |\n` : ''}`;
  writeResult('letters', md, result);
  console.log(md);
  return result;
}
