import { describe, expect, it } from 'vitest';
import { workspace } from '../cli/support.ts';

describe('templates from the command line', () => {
  it('lists, previews with sample and real data, refuses a broken field with its line, saves and resets', async () => {
    const w = workspace();
    const list = JSON.parse((await w.run('templates', 'list', '--json')).stdout) as {
      key: string;
      language: string;
      custom: boolean;
    }[];
    expect(list).toHaveLength(16);
    expect(list.every((t) => !t.custom)).toBe(true);

    const sample = await w.run(
      'templates',
      'preview',
      'relance1',
      '--lang',
      'fr',
      '--date',
      '2026-03-16',
      '--field',
      'subject',
    );
    expect(sample).toMatchObject({
      code: 0,
      stdout: 'Relance : factures FA-2026-0042, FA-2026-0057 en attente de règlement',
    });

    const broken = await w.run(
      'templates',
      'set',
      'relance1',
      '--lang',
      'fr',
      '--field',
      'text',
      '--file',
      w.file('broken.txt', 'Bonjour,', '', '{% for invoice in invoices %}{{ invoice.number }}'),
    );
    expect(broken.code).toBe(1);
    expect(broken.stderr).toContain('text, line 3: tag {% for invoice in invoices %} not closed');
    const unknown = await w.run(
      'templates',
      'set',
      'relance1',
      '--lang',
      'fr',
      '--field',
      'subject',
      '--file',
      w.file('subject.txt', 'Relance {{ facture.numero }}'),
    );
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('subject, line 1: undefined variable: facture');
    // A file that is not there is said in the reader's language, not as Node's ENOENT.
    const nowhere = await w.runWith(
      { LANG: 'fr_FR.UTF-8' },
      'templates',
      'set',
      'relance1',
      '--lang',
      'fr',
      '--field',
      'subject',
      '--file',
      'nowhere.txt',
    );
    expect(nowhere.code).toBe(1);
    expect(nowhere.stderr).toContain('Impossible de lire nowhere.txt : fichier introuvable.');
    expect(nowhere.stderr).not.toContain('ENOENT');

    const saved = await w.run(
      'templates',
      'set',
      'relance1',
      '--lang',
      'fr',
      '--field',
      'subject',
      '--file',
      w.file('good.txt', 'Rappel #REF# ({{ customer.name }}) : {{ totals.due }}'),
    );
    expect(saved).toMatchObject({ code: 0, stdout: 'Template relance1 (fr): subject saved.\n' });
    expect((await w.run('templates', 'show', 'relance1', '--lang', 'fr', '--field', 'subject')).stdout).toBe(
      'Rappel #REF# ({{ customer.name }}) : {{ totals.due }}',
    );

    const customers = w.file(
      'c.csv',
      'code,name,kind,email,address1,postcode,city,language',
      'CREP,Crêperie Éloïse & Cie,company,compta@creperie.fr,1 rue A,29000,Quimper,fr',
    );
    const invoices = w.file(
      'i.csv',
      'number,customer,issue_date,due_date,total,currency',
      'F1,CREP,2026-01-01,2026-01-31,1234.56,EUR',
      'F2,CREP,2026-02-01,2026-02-28,100.00,EUR',
    );
    expect((await w.run('import', 'customers', customers)).code).toBe(0);
    expect((await w.run('import', 'invoices', invoices)).code).toBe(0);
    const real = await w.run(
      'templates',
      'preview',
      'relance1',
      '--customer',
      'CREP',
      '--invoice',
      'F1',
      '--date',
      '2026-03-16',
      '--json',
    );
    expect(real.code).toBe(0);
    const rendered = JSON.parse(real.stdout) as {
      subject: string;
      html: string;
      to: string[];
      level: number;
      text: string;
    };
    expect(rendered.subject).toBe('Rappel F1 (Crêperie Éloïse & Cie) : 1\u00a0234,56\u00a0€');
    expect(rendered.to).toEqual(['compta@creperie.fr']);
    expect(rendered.text).toContain('(44 jours de retard)');
    const missing = await w.run('templates', 'preview', 'relance1', '--customer', 'CREP', '--invoice', 'F9');
    expect(missing).toMatchObject({ code: 1, stderr: expect.stringContaining('No invoice F9 for customer CREP') });

    expect((await w.run('templates', 'reset', 'relance1', '--lang', 'fr')).code).toBe(0);
    expect((await w.run('templates', 'show', 'relance1', '--lang', 'fr', '--field', 'subject')).stdout).toContain(
      'en attente de règlement',
    );
  }, 180_000); // about fifteen CLI processes, on a machine shared with other suites
});
