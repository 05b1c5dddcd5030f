import { describe, expect, it } from 'vitest';
import { sendTestMessage } from '../../src/mail/test-send.ts';
import { writePolicy } from '../../src/storage/dunning.ts';
import { createCompany } from '../../src/storage/companies.ts';
import { dialects } from '../support/stores.ts';
import { useStore } from '../repositories/helpers.ts';

// A policy whose three steps name Relance 1, 2 and 3: the test of a step is that step's template, whatever the
// templates' built-in ranks say.
const THREE_STEPS = {
  name: 'trois',
  minBalance: '0',
  minDaysBetween: 1,
  steps: [
    { label: 'Relance A', delayDays: 5, from: 'dueDate', channels: ['email'], templates: ['relance1'] },
    { label: 'Relance B', delayDays: 10, from: 'previousStep', channels: ['email'], templates: ['relance2'] },
    { label: 'Relance C', delayDays: 10, from: 'previousStep', channels: ['email'], templates: ['relance3'] },
  ],
};

describe.each(dialects)('test messages per policy step on %s', (dialect) => {
  const store = useStore(dialect);

  it("sends each step's own template (step editor, send-test --step) and the chosen template from the template editor", async () => {
    const { db } = store();
    const company = await createCompany(db, { legalName: 'Société A' });
    await writePolicy(db, company.id, { name: 'trois', definition: THREE_STEPS, makeDefault: true });
    const subjects = [];
    for (const level of [1, 2, 3]) {
      subjects.push(
        (await sendTestMessage(db, company.id, { level, to: 'moi@societe-a.fr', policyName: 'trois' })).subject,
      );
    }
    expect(subjects).toEqual([
      '[Test] Relance : factures FA-2026-0042, FA-2026-0057 en attente de règlement',
      '[Test] 2e relance : factures FA-2026-0042, FA-2026-0057 impayées',
      '[Test] Dernière relance avant mise en demeure : factures FA-2026-0042, FA-2026-0057',
    ]);
    // The default policy (the one saved above) is used without a name too.
    expect((await sendTestMessage(db, company.id, { level: 2, to: 'moi@societe-a.fr' })).subject).toBe(subjects[1]);
    const chosen = await sendTestMessage(db, company.id, { level: 1, to: 'moi@societe-a.fr', template: 'relance2' });
    expect(chosen.subject).toBe(subjects[1]);
  });
});
