import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT } from '../cli/support.ts';
import { pdfText } from './pdf-support.ts';

const dir = mkdtempSync(join(tmpdir(), 'relance-documents-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const { RELANCE_DB: _ignored, ...ENV } = process.env;

/** The CLI on a database in a temporary folder: the letters a run writes go next to it, under letters/. */
function relance(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((done) => {
    execFile(
      process.execPath,
      [join(ROOT, 'bin/relance.js'), '--db', join(dir, 'r.db'), ...args],
      {
        cwd: dir,
        env: { ...ENV, LANG: 'en_US.UTF-8', LC_ALL: '', LC_MESSAGES: '', RELANCE_LANG: '' },
        timeout: 60_000,
      },
      (error, stdout, stderr) => done({ code: error ? Number(error.code) : 0, stdout, stderr }),
    );
  });
}

describe('documents from the command line', () => {
  it('prints the letters of a run and of the plan, a statement and a summary, and keeps the letter settings', async () => {
    expect(
      (await relance('demo', '--customers', '30', '--invoices', '200', '--seed', '3', '--date', '2026-08-01')).code,
    ).toBe(0);
    let letterRun: string | null = null;
    for (const date of ['2026-08-01', '2026-08-20', '2026-09-10']) {
      const run = await relance('run', '--date', date, '--letters', '--json');
      expect(run.code, run.stderr).toBe(0);
      const id = JSON.parse(run.stdout).run.id as string;
      if (existsSync(join(dir, 'letters'))) letterRun ??= id;
    }
    expect(letterRun).not.toBeNull();

    const letters = await relance('letters', '--run', letterRun!, '--out', join(dir, 'run.pdf'));
    expect(letters.code, letters.stderr).toBe(0);
    expect(letters.stdout).toMatch(/\d+ letters \(\d+ pages\) of run/);
    const text = await pdfText(readFileSync(join(dir, 'run.pdf')));
    expect(text).toContain('Objet');
    expect(text).toContain('€');

    const plan = JSON.parse((await relance('plan', '--date', '2026-10-01', '--json')).stdout) as {
      communications: { level: number }[];
    };
    const level = plan.communications[0]!.level;
    const ahead = await relance(
      'letters',
      '--date',
      '2026-10-01',
      '--level',
      String(level),
      '--out',
      join(dir, 'plan.pdf'),
    );
    expect(ahead.code, ahead.stderr).toBe(0);
    expect(await pdfText(readFileSync(join(dir, 'plan.pdf')))).toContain('Votre code client');

    const statement = await relance(
      'statement',
      '--customer',
      'C000001',
      '--date',
      '2026-09-10',
      '--out',
      join(dir, 'statement.pdf'),
    );
    expect(statement.code, statement.stderr).toBe(0);
    expect(await pdfText(readFileSync(join(dir, 'statement.pdf')))).toContain('Relevé de compte');
    const summary = await relance('summary', '--date', '2026-09-10', '--out', join(dir, 'summary.pdf'));
    expect(summary.code, summary.stderr).toBe(0);
    expect(await pdfText(readFileSync(join(dir, 'summary.pdf')))).toContain('Synthèse des relances');

    const set = await relance(
      'letter-settings',
      '--window',
      '20,45,95,40',
      '--duplex',
      'on',
      '--logo',
      join(ROOT, 'docs/letters/letter.png'),
    );
    expect(set.code, set.stderr).toBe(0);
    expect((await relance('letter-settings')).stdout).toBe(
      'window: 20,45,95,40 mm (left, top, width, height)\nduplex: on\n' +
        `logo: image/png, ${readFileSync(join(ROOT, 'docs/letters/letter.png')).length} bytes\n`,
    );
  }, 120_000);

  it('refuses what it cannot do with a clear message and the usage or input exit code', async () => {
    const neither = await relance('letters', '--out', join(dir, 'x.pdf'));
    expect(neither.code).toBe(2);
    expect(neither.stderr).toMatch(/--run ID or --level N/);
    const window = await relance('letter-settings', '--window', '150,20,100,45');
    expect(window.code).toBe(2);
    expect(window.stderr).toMatch(/A4 page/);
    const customer = await relance('statement', '--customer', 'NOPE', '--out', join(dir, 'x.pdf'));
    expect(customer.code).toBe(1);
    expect(customer.stderr).toMatch(/NOPE/);
    const logo = await relance('letter-settings', '--logo', join(ROOT, 'README.md'));
    expect(logo.code).toBe(1);
    expect(logo.stderr).toMatch(/PNG and JPEG/);
  }, 60_000);
});
