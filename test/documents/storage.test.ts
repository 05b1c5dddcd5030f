import { describe, expect, it } from 'vitest';
import { DEFAULT_WINDOW } from '../../src/domain/letter-settings.ts';
import { createCompany } from '../../src/storage/companies.ts';
import { getLetterSettings, getRunDocument, recordDocument, setLetterSettings } from '../../src/storage/documents.ts';
import { startRun } from '../../src/storage/dunning.ts';
import { dialects } from '../support/stores.ts';
import { expectAppError, useStore } from '../repositories/helpers.ts';

const PNG = Uint8Array.from(
  Buffer.from(
    'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
    'base64',
  ),
);

describe.each(dialects)('letter settings and documents on %s', (dialect) => {
  const store = useStore(dialect);

  it('defaults to the DL right window, simplex and no logo, and keeps what the company changes', async () => {
    const { db } = store();
    const company = await createCompany(db, { legalName: 'A' });
    expect(await getLetterSettings(db, company.id)).toEqual({ window: DEFAULT_WINDOW, duplex: false, logo: null });
    await setLetterSettings(db, company.id, {
      window: { leftMm: 20, topMm: 45.5, widthMm: 95, heightMm: 40 },
      logo: PNG,
    });
    await setLetterSettings(db, company.id, { duplex: true });
    const saved = await getLetterSettings(db, company.id);
    expect(saved.window).toEqual({ leftMm: 20, topMm: 45.5, widthMm: 95, heightMm: 40 });
    expect(saved.duplex).toBe(true);
    expect(saved.logo?.mediaType).toBe('image/png');
    expect(Buffer.from(saved.logo!.content).equals(Buffer.from(PNG))).toBe(true);
    await setLetterSettings(db, company.id, { logo: null });
    expect((await getLetterSettings(db, company.id)).logo).toBeNull();
    // Another company keeps its defaults.
    const other = await createCompany(db, { legalName: 'B' });
    expect((await getLetterSettings(db, other.id)).duplex).toBe(false);
  });

  it('refuses a window off the page and a logo that is not an image', async () => {
    const { db } = store();
    const company = await createCompany(db, { legalName: 'A' });
    await expectAppError(
      setLetterSettings(db, company.id, { window: { leftMm: 150, topMm: 20, widthMm: 100, heightMm: 45 } }),
      'invalid_input',
      /window/,
    );
    await expectAppError(
      setLetterSettings(db, company.id, { logo: new Uint8Array([1, 2, 3]) }),
      'invalid_input',
      /PNG/,
    );
    expect(await getLetterSettings(db, company.id)).toEqual({ window: DEFAULT_WINDOW, duplex: false, logo: null });
  });

  it('records one batch per run, replaced when the run produces it again', async () => {
    const { db } = store();
    const company = await createCompany(db, { legalName: 'A' });
    const run = await startRun(db, company.id, { date: '2026-03-28', kind: 'manual' });
    await recordDocument(db, company.id, {
      runId: run!.id,
      kind: 'letters',
      path: 'data/letters/a.pdf',
      letters: 3,
      pages: 4,
      content: Buffer.from('%PDF-1'),
    });
    const again = await recordDocument(db, company.id, {
      runId: run!.id,
      kind: 'letters',
      path: 'data/letters/a.pdf',
      letters: 4,
      pages: 5,
      content: Buffer.from('%PDF-2'),
    });
    const stored = await getRunDocument(db, company.id, run!.id);
    expect(stored).toMatchObject({ id: again.id, letters: 4, pages: 5, bytes: 6, path: 'data/letters/a.pdf' });
    expect(stored?.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(await getRunDocument(db, company.id, run!.id, 'statement')).toBeNull();
  });
});
