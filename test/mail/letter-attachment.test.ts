import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { renderLetterPdf } from '../../src/documents/letter.ts';
import { resolveAttachments } from '../../src/mail/attachments.ts';
import { ensureDefaultCompany } from '../../src/storage/companies.ts';
import { context, LETTER_TEXT } from '../documents/fixtures.ts';
import { pdfText } from '../documents/pdf-support.ts';
import { freshStore, type TestStore } from '../support/stores.ts';

// A formal notice sent by e-mail is no registered letter: the PDF attached to the e-mail must not claim to be one,
// while the printed letter of the same notice keeps the mention.
describe('a formal notice attached to an e-mail', () => {
  let store: TestStore;
  beforeEach(async () => {
    store = await freshStore('sqlite');
  });
  afterEach(async () => store.dispose());

  it('leaves out "lettre recommandée avec accusé de réception", which the printed letter keeps', async () => {
    const company = await ensureDefaultCompany(store.db);
    const notice = context({ formalNotice: true });
    const [attached] = await resolveAttachments(store.db, company.id, [
      { kind: 'letter', filename: 'mise-en-demeure.pdf', text: LETTER_TEXT.fr, context: notice },
    ]);
    const mailed = (await pdfText(attached!.content as Buffer)).replace(/\s+/g, ' ');
    expect(mailed).toContain('Mise en demeure');
    expect(mailed).not.toMatch(/RECOMMANDÉE/);
    const printed = (await pdfText(await renderLetterPdf(notice, LETTER_TEXT.fr))).replace(/\s+/g, ' ');
    expect(printed).toContain('LETTRE RECOMMANDÉE AVEC ACCUSÉ DE RÉCEPTION');
  });
});
