import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import jsQRModule from 'jsqr';
import { describe, expect, it } from 'vitest';
import { lawTexts } from '../../src/documents/law-texts.ts';
import { epcPayload } from '../../src/documents/epc-qr.ts';
import { renderLetterPdf, windowBox } from '../../src/documents/letter.ts';
import { MM } from '../../src/documents/pdf-document.ts';
import { DEFAULT_LETTER_SETTINGS, parseWindow } from '../../src/domain/letter-settings.ts';
import { ROOT } from '../cli/support.ts';
import { context, LETTER_TEXT } from './fixtures.ts';

// jsqr is CommonJS with an ES-style default export in its types.
const jsQR = ((jsQRModule as unknown as { default?: unknown }).default ??
  jsQRModule) as unknown as typeof jsQRModule.default;
import { pdfText, rasterize, readPdf, rgba } from './pdf-support.ts';

describe('reminder letter', () => {
  it('prints the company, the customer, each invoice with amounts in €, the totals and the legal mention in French', async () => {
    const ctx = context();
    const text = await pdfText(await renderLetterPdf(ctx, LETTER_TEXT.fr));
    for (const expected of [
      'Boulangerie Éclair SARL',
      'SIREN 732829320',
      'TVA FR44732829320',
      'Société Générale des Crêpes Françaises',
      'À l’attention de Jérôme Dupré',
      '4 allée des Érables',
      '13008 Marseille',
      'Lyon, le 28/03/2026',
      'Objet : 2ème relance',
      'Sauf erreur de notre part',
      'FA-2026-0001',
      'FA-2026-0002',
      '1 212,34 €',
      '1 224,68 €',
      'Solde dû',
      '2 437,02 €',
      'Intérêts de retard',
      '30,46 €',
      'Indemnité forfaitaire pour frais de recouvrement',
      '80,00 €',
      'Total à régler',
      '2 547,48 €',
      'articles L441-10 et D441-5 du Code de commerce',
      'IBAN : FR76 3000 6000 0112 3456 7890 189',
      'BIC : AGRIFRPP',
      'Référence à indiquer : FA-2026-0001 FA-2026-0002',
      'https://pay.example/c042',
      'Le service comptabilité — Anaïs Lefèvre',
    ]) {
      expect(text.replace(/\s+/g, ' ')).toContain(expected);
    }
    expect(text).not.toMatch(/mise en demeure/i);
  });

  it("announces a Prérelance's invoices, not yet due, as a total coming due, never a total to pay", async () => {
    const base = context();
    const ahead = {
      ...base,
      level: { ...base.level, charges: false },
      invoices: base.invoices.map((i) => ({ ...i, daysOverdue: -5 })),
    };
    const text = await pdfText(await renderLetterPdf(ahead, LETTER_TEXT.fr));
    expect(text).toContain('Total à échoir');
    expect(text).not.toContain('Total à régler');
    expect(await pdfText(await renderLetterPdf(base, LETTER_TEXT.fr))).toContain('Total à régler');
  });

  it('speaks English for an English customer', async () => {
    const text = (await pdfText(await renderLetterPdf(context({ language: 'en' }), LETTER_TEXT.en))).replace(
      /\s+/g,
      ' ',
    );
    for (const expected of [
      'Subject: 2ème relance',
      'Attn: Jérôme Dupré',
      'Balance due',
      '€2,437.02',
      'Total to pay',
      '€2,547.48',
      'Late-payment interest',
      'French Commercial Code',
      'Payment by bank transfer',
      'Reference to quote',
      'Accounts receivable',
    ]) {
      expect(text).toContain(expected);
    }
  });

  it('renders the narrow no-break space of French amounts with a real glyph', async () => {
    const ctx = context();
    ctx.totals.balance = { cents: 243_702, text: '2\u202f437,02\u00a0€' };
    const pages = await readPdf(await renderLetterPdf(ctx, LETTER_TEXT.fr));
    const raw = pages[0]!.items.map((i) => i.str).join('\n');
    expect(raw).toContain('2 437,02 €');
    // A missing glyph would show as .notdef; pdfjs would then give back no character for it.
    expect(raw).not.toContain('2437,02');
  });

  it('writes a formal notice with the words, the deadline, what follows and the registered-mail mention', async () => {
    const text = (await pdfText(await renderLetterPdf(context({ formalNotice: true }), LETTER_TEXT.fr))).replace(
      /\s+/g,
      ' ',
    );
    for (const expected of [
      'LETTRE RECOMMANDÉE AVEC ACCUSÉ DE RÉCEPTION',
      'Mise en demeure de payer',
      'MISE EN DEMEURE DE PAYER',
      'nous vous mettons en demeure de nous régler la somme de 2 547,48 € dans un délai de 8 jours à compter de la réception',
      'Cette somme se compose du principal (2 437,02 €), des intérêts de retard arrêtés au 28/03/2026, au taux BCE majoré de 10 ' +
        'points, soit 12,15 % (30,46 €), de l’indemnité forfaitaire pour frais de recouvrement de 40 € par facture (80,00 €), outre ' +
        'les pénalités à courir jusqu’au complet paiement et sans préjudice d’une indemnisation complémentaire sur justification',
      'une requête en injonction de payer devant le tribunal compétent',
      'Intérêts de retard',
      'Indemnité forfaitaire pour frais de recouvrement',
      '80,00 €',
    ]) {
      expect(text).toContain(expected);
    }
    expect(text).not.toMatch(/procédure simplifiée|à votre charge|majorée/);
  });

  it("cites the law the charges were computed under, not the customer's country", async () => {
    // A Belgian business customer of a French seller: French law (the seller's), as computed.
    const ctx = context();
    ctx.customer.address = { ...ctx.customer.address, country: 'Belgique', countryCode: 'BE' };
    const french = (await pdfText(await renderLetterPdf(ctx, LETTER_TEXT.fr))).replace(/\s+/g, ' ');
    expect(french).toContain('L441-10');
    expect(french).not.toContain('directive 2011/7/UE');
    ctx.law = lawTexts({ law: 'EU', kind: 'company', language: 'fr', basis: null, nextStep: 'eu_order' });
    const directive = (await pdfText(await renderLetterPdf(ctx, LETTER_TEXT.fr))).replace(/\s+/g, ' ');
    expect(directive).toContain('directive 2011/7/UE');
    expect(directive).not.toContain('L441-10');
  });

  it('states the interest and the 40 € indemnity in a formal notice even when the step claims no charges', async () => {
    const ctx = context({ formalNotice: true });
    ctx.level.charges = false;
    const text = (await pdfText(await renderLetterPdf(ctx, LETTER_TEXT.fr))).replace(/\s+/g, ' ');
    expect(text).toContain('articles L441-10 et D441-5 du Code de commerce');
    expect(text).toContain('indemnité forfaitaire pour frais de recouvrement de 40 €');
    expect(text).toContain('la somme de 2 437,02 €');
  });

  it('gives a consumer the Civil Code mention and no 40 € indemnity', async () => {
    const text = (
      await pdfText(await renderLetterPdf(context({ kind: 'individual', formalNotice: true }), LETTER_TEXT.fr))
    ).replace(/\s+/g, ' ');
    expect(text).toContain('article 1231-6 du Code civil');
    expect(text).not.toContain('Indemnité forfaitaire');
  });

  it('continues a long table on the next pages with the header repeated', async () => {
    const pages = await readPdf(await renderLetterPdf(context({ invoices: 90 }), LETTER_TEXT.fr));
    expect(pages.length).toBeGreaterThanOrEqual(3);
    const all = pages.map((p) => p.text).join('\n');
    for (let n = 1; n <= 90; n++) expect(all).toContain(`FA-2026-${String(n).padStart(4, '0')}`);
    for (const page of pages.slice(0, 2)) expect(page.text).toContain('Montant TTC');
    expect(pages[1]!.text).toContain('(suite)');
    expect(pages[1]!.text).toContain('Page 2');
    // No row is drawn into the footer band.
    for (const page of pages) {
      for (const item of page.items.filter((i) => i.str.startsWith('FA-2026-')))
        expect(item.y).toBeLessThan(page.height - 24 * MM);
    }
  });

  it('puts the whole address block inside the configured envelope window', async () => {
    for (const window of [DEFAULT_LETTER_SETTINGS.window, parseWindow('20,45,95,40')]) {
      const [page] = await readPdf(
        await renderLetterPdf(context(), LETTER_TEXT.fr, { ...DEFAULT_LETTER_SETTINGS, window }),
      );
      const box = windowBox(window);
      const address = [
        'Société Générale des Crêpes Françaises',
        'À l’attention de Jérôme Dupré',
        'Bâtiment B',
        '4 allée des Érables',
        '13008 Marseille',
      ].map((str) => page!.items.find((i) => i.str === str));
      for (const item of address) {
        expect(item).toBeDefined();
        expect(item!.x).toBeGreaterThanOrEqual(box.x);
        expect(item!.x + item!.width).toBeLessThanOrEqual(box.x + box.width);
        expect(item!.y).toBeGreaterThanOrEqual(box.y);
        expect(item!.y + item!.height).toBeLessThanOrEqual(box.y + box.height);
      }
      // Nothing else is printed where the window shows through.
      const inside = page!.items.filter(
        (i) => i.x < box.x + box.width && i.x + i.width > box.x && i.y < box.y + box.height && i.y + i.height > box.y,
      );
      expect(inside.map((i) => i.str).sort()).toEqual(address.map((i) => i!.str).sort());
    }
    expect(() => parseWindow('150,20,100,45')).toThrow(/A4/);
  });

  it('prints the company logo above the letterhead, once per batch document', async () => {
    const logo = {
      content: new Uint8Array(readFileSync(join(ROOT, 'docs/letters/letter.png'))),
      mediaType: 'image/png',
    };
    const pdf = await renderLetterPdf(context(), LETTER_TEXT.fr, { ...DEFAULT_LETTER_SETTINGS, logo });
    expect(pdf.toString('latin1').match(/\/Subtype \/Image/g)).toHaveLength(1);
    const [page] = await readPdf(pdf);
    const name = page!.items.find((i) => i.str === 'Boulangerie Éclair SARL' && i.y < 60 * MM)!;
    expect(name.y).toBeGreaterThanOrEqual(33 * MM); // the logo's box ends 33 mm from the top
    const [raster] = await rasterize(pdf, 50);
    // The logo is the reference image of a letter: ink where the letterhead starts.
    let ink = 0;
    const scale = 50 / 72;
    for (let y = Math.round(16 * MM * scale); y < Math.round(32 * MM * scale); y++) {
      for (let x = Math.round(21 * MM * scale); x < Math.round(40 * MM * scale); x++) {
        if (raster!.rgb[(y * raster!.width + x) * 3]! < 200) ink++;
      }
    }
    expect(ink).toBeGreaterThan(10);
  });

  it('is byte-identical for the same input', async () => {
    const [a, b] = await Promise.all([
      renderLetterPdf(context(), LETTER_TEXT.fr),
      renderLetterPdf(context(), LETTER_TEXT.fr),
    ]);
    expect(Buffer.compare(a, b)).toBe(0);
  });

  it('carries a SEPA EPC QR code that a scanner reads back as the transfer', async () => {
    const ctx = context();
    const payload = epcPayload({
      name: ctx.company.legalName,
      iban: ctx.company.iban!,
      bic: ctx.company.bic,
      amountCents: ctx.totals.due.cents,
      currency: 'EUR',
      reference: ctx.payment.reference,
    });
    expect(payload).toBe(
      [
        'BCD',
        '002',
        '1',
        'SCT',
        'AGRIFRPP',
        'Boulangerie Éclair SARL',
        'FR7630006000011234567890189',
        'EUR2547.48',
        '',
        '',
        'FA-2026-0001 FA-2026-0002',
      ].join('\n'),
    );
    const [page] = await rasterize(await renderLetterPdf(ctx, LETTER_TEXT.fr), 150);
    const code = jsQR(rgba(page!), page!.width, page!.height);
    expect(code?.data).toBe(payload);
  });

  it('leaves the QR code out where the EPC standard cannot carry the payment', async () => {
    expect(
      epcPayload({
        name: 'A',
        iban: 'FR7630006000011234567890189',
        bic: null,
        amountCents: 1000,
        currency: 'USD',
        reference: 'x',
      }),
    ).toBeNull();
    expect(
      epcPayload({ name: 'A', iban: 'not an iban', bic: null, amountCents: 1000, currency: 'EUR', reference: 'x' }),
    ).toBeNull();
    expect(
      epcPayload({
        name: 'A',
        iban: 'FR7630006000011234567890189',
        bic: null,
        amountCents: 0,
        currency: 'EUR',
        reference: 'x',
      }),
    ).toBeNull();
    const [page] = await rasterize(await renderLetterPdf(context({ iban: null }), LETTER_TEXT.fr), 100);
    expect(jsQR(rgba(page!), page!.width, page!.height)).toBeNull();
  });
});
