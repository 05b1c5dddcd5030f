import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { translator } from '../../src/i18n/index.ts';
import { call, fixture, type Fixture } from './support.ts';

const BOUNDARY = '----relance-import';
function multipart(name: string, content: string, mapping?: Record<string, string | null>) {
  const field = mapping
    ? `--${BOUNDARY}\r\nContent-Disposition: form-data; name="mapping"\r\n\r\n${JSON.stringify(mapping)}\r\n`
    : '';
  return {
    'content-type': `multipart/form-data; boundary=${BOUNDARY}`,
    payload: `${field}--${BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="${name}"\r\nContent-Type: text/csv\r\n\r\n${content}\r\n--${BOUNDARY}--\r\n`,
  };
}

describe('CSV upload: chosen mapping and streamed progress', () => {
  let f: Fixture;
  beforeAll(async () => {
    f = await fixture('sqlite');
  });
  afterAll(async () => f.dispose());
  const post = (url: string, body: ReturnType<typeof multipart>) =>
    f.app.inject({
      method: 'POST',
      url,
      headers: { 'content-type': body['content-type'], authorization: `Bearer ${f.tokens.admin}` },
      payload: body.payload,
    });

  it('reads the columns the user mapped, and streams progress lines then the report', async () => {
    expect(
      (await call(f.app, f.tokens.admin, 'POST', '/api/v1/customers', { code: 'M1', name: 'Mapped' })).status,
    ).toBe(201);
    const rows = Array.from(
      { length: 2500 },
      (_, i) => `M-${i};M1;2026-01-0${1 + (i % 9)};2026-02-01;${i + 1},50;EUR;x`,
    );
    const body = multipart('export.csv', ['Pièce;Compte;Émis le;Payable le;À payer;Devise;Libre', ...rows].join('\n'), {
      number: 'Pièce',
      customer: 'Compte',
      issue_date: 'Émis le',
      due_date: 'Payable le',
      total: 'À payer',
      title: null,
    });
    const streamed = await post('/api/v1/import/invoices?dryRun=true&progress=true', body);
    expect(streamed.headers['content-type']).toMatch(/application\/x-ndjson/);
    const lines = streamed.body
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines.filter((l) => l.progress).map((l) => l.progress)).toEqual([
      { done: 1000, total: 2500 },
      { done: 2000, total: 2500 },
      { done: 2500, total: 2500 },
    ]);
    expect(lines.at(-1)).toMatchObject({
      status: 200,
      report: {
        dryRun: true,
        created: 2500,
        ignoredColumns: ['Libre'],
        columns: { number: 'Pièce', total: 'À payer' },
      },
    });

    const refused = await post(
      '/api/v1/import/invoices?progress=true',
      multipart(
        'bad.csv',
        'Numéro;Client;Date facture;Date échéance;Montant TTC;Devise\nB1;ZZ;2026-01-01;2026-02-01;1,00;EUR',
      ),
    );
    const last = JSON.parse(refused.body.trim().split('\n').at(-1)!);
    expect(last).toMatchObject({
      status: 422,
      report: {
        code: 'invalid_input',
        messageKey: 'problem.import.badRows',
        params: { file: 'bad.csv', count: 1 },
        badRows: 1,
        headerProblem: false,
        issues: [{ line: 2, field: 'customer', code: 'import.row.noCustomer', params: { value: 'ZZ' } }],
      },
    });

    const header = await post('/api/v1/import/invoices', multipart('entete.csv', 'Numéro;Client\nB1;M1'));
    expect(header.statusCode).toBe(422);
    expect(JSON.parse(header.body)).toMatchObject({
      headerProblem: true,
      badRows: 0,
      detail: 'the header of entete.csv does not fit: nothing was imported.',
      messageKey: 'problem.import.header',
      params: { file: 'entete.csv' },
    });
    expect(translator('fr')('problem.import.header', { file: 'entete.csv' })).toBe(
      "L'en-tête de entete.csv ne convient pas ; rien n'a été importé.",
    );
    expect(translator('fr')('problem.import.badRows', { file: 'bad.csv', count: 2 })).toBe(
      "bad.csv : 2 lignes incorrectes ; rien n'a été importé.",
    );

    const nul = await post('/api/v1/import/invoices', multipart('nul.csv', 'Numéro;Client\nB1\u0000;M1'));
    expect(nul.statusCode).toBe(422);
    expect(JSON.parse(nul.body)).toMatchObject({
      code: 'invalid_input',
      messageKey: 'problem.import.nulByte',
      params: { line: 2, file: 'nul.csv' },
      committed: false,
    });
    const { messageKey, params } = JSON.parse(nul.body) as { messageKey: string; params: Record<string, string> };
    expect(translator('fr')(messageKey, params)).toBe(
      "nul.csv : ligne 2, colonne 3 : le fichier contient un octet NUL, ce qu'aucun fichier texte ne contient.",
    );
    expect(translator('en')(messageKey, params)).toMatch(/^nul\.csv: line 2, column 3: the file holds a NUL byte/);
    expect(translator('en')(messageKey, { line: 2, column: 3 })).toMatch(/^Line 2, column 3: /);
  });
});
