import { describe, expect, it } from 'vitest';
import { workspace } from './support.ts';

/** An ISO date or month (2026-03-15, 2026-03) where a French reader expects 15/03/2026 or « mars 2026 ». */
const ISO = /\b\d{4}-\d{2}(-\d{2})?\b/;

describe('what the commands print, in French for a French reader and in English with --lang en', () => {
  it('says rates, reports, templates and import refusals without an English word, a key or an ISO date', async () => {
    const w = workspace();
    const fr = (...args: string[]) => w.runWith({ LANG: 'fr_FR.UTF-8' }, ...args);
    const en = (...args: string[]) => w.run('--lang', 'en', ...args);
    expect((await fr('demo', '--customers', '5', '--invoices', '40', '--date', '2026-03-16')).code).toBe(0);

    // The rates table: shipped sources in French, rates with a comma; the company's own words stay as typed.
    const rates = await fr('rates', 'list');
    expect(rates.stdout).toContain('décision du Conseil des gouverneurs de la BCE du 10/03/2016');
    expect(rates.stdout).toContain('NON CONFIRMÉ, cité par une seule source secondaire');
    expect(rates.stdout).not.toMatch(/\b(decision|Governing|NOT CONFIRMED|quoted)\b/);
    expect(rates.stdout).toMatch(/16\/03\/2016 +0,00 +fourni/);
    expect((await en('rates', 'list')).stdout).toContain('ECB Governing Council decision of 10 March 2016');

    // Reports: the date of the title and the months of the trend as written in French, the file's confirmation too.
    const kpis = await fr('report', 'kpis', '--date', '2026-03-16');
    expect(kpis.code).toBe(0);
    expect(kpis.stdout).toContain('— 16/03/2026');
    expect(kpis.stdout).not.toMatch(ISO);
    expect(kpis.stdout).toMatch(/mars 2026 +16\/03\/2026/);
    const pdf = await fr('report', 'kpis', '--date', '2026-03-16', '--pdf', `${w.dir}/kpis.pdf`);
    expect(pdf.stdout).toMatch(/^Indicateurs de recouvrement : \d+ lignes écrites dans .*kpis\.pdf \(\d+ Kio\)\.\n$/);
    // A report's own --lang is the document's language (the company's by default), not the messages'.
    expect((await en('report', 'kpis', '--date', '2026-03-16', '--lang', 'en')).stdout).toContain('— 16 March 2026');

    // A template shown: its version and its fields by their French names.
    const shown = await fr('templates', 'show', 'relance1', '--lang', 'fr');
    expect(shown.stdout.split('\n')[0]).toBe('relance1 (fr, fourni)');
    expect(shown.stdout).toContain('\n== objet\n');
    expect(shown.stdout).not.toMatch(/\b(default|subject)\b/);
    expect((await en('templates', 'show', 'relance1', '--lang', 'fr')).stdout.split('\n')[0]).toBe(
      'relance1 (fr, default)',
    );

    // An import refused for a column of the file: its header in the file's words; a missing one by its label.
    const bad = w.file('factures.csv', 'Numéro;Client;Date facture;Montant TTC', 'F1;C000001;15/01/2026;100,00');
    const refused = await en('import', 'invoices', bad);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/Due date/);
    expect(refused.stderr).not.toMatch(/due_date/);
    const refusé = await fr('import', 'invoices', bad);
    expect(refusé.stderr).toMatch(/Date d'échéance/);
    expect(refusé.stderr).not.toMatch(/due_date/);
  }, 300_000);
});
