import { describe, expect, it } from 'vitest';
import { importCsv, type ImportKind } from '../../src/import/run-import.ts';
import { systemActor } from '../../src/shared/actor.ts';
import { ensureDefaultCompany } from '../../src/storage/companies.ts';
import { createWebhook } from '../../src/storage/webhooks.ts';
import { ledgerSnapshot } from '../integrations/ledger-snapshot.ts';
import { useStore } from '../repositories/helpers.ts';
import { dialects } from '../support/stores.ts';

const csv = (...lines: string[]) => `${lines.join('\n')}\n`;

describe.each(dialects)('credit notes imported in bulk on %s', (dialect) => {
  const store = useStore(dialect);

  it('leave the notes, allocations, invoice.paid deliveries and audit the one-by-one writes left', async () => {
    const { db } = store();
    const companyId = (await ensureDefaultCompany(db)).id;
    await createWebhook(db, companyId, { url: 'https://hooks.example/paid', secret: 's', events: ['invoice.paid'] });
    const run = (kind: ImportKind, text: string) =>
      importCsv(db, systemActor(companyId), { kind, fileName: `${kind}.csv`, bytes: new TextEncoder().encode(text) });
    expect(
      await run(
        'customers',
        csv(
          'code,name,kind,email,siren',
          'C1,Acme SARL,company,compta@acme.fr,732829320',
          'C2,Jean Martin,individual,jean@martin.fr,',
        ),
      ),
    ).toMatchObject({ created: 2, issues: [] });
    const invoices = await run(
      'invoices',
      csv(
        'number,customer,issue_date,due_date,total,currency',
        'F-001,C1,2025-01-15,2025-02-14,1200.00,EUR',
        'F-002,C1,2025-02-01,2025-03-03,300.00,EUR',
        'F-003,C2,2025-03-01,2025-03-31,80.50,EUR',
      ),
    );
    expect(invoices).toMatchObject({ created: 3, issues: [] });
    const notes = csv(
      'number,customer,date,total,invoice,reason',
      'AV-001,C1,2025-03-10,200.00,F-001,Remise',
      'AV-002,C1,2025-03-11,300.00,F-002,',
      'AV-003,C2,2025-03-12,40.00,F-003,Geste',
      'AV-004,C2,2025-03-13,40.50,F-003,Solde',
    );
    const report = await run('credit-notes', notes);
    expect(report).toMatchObject({ created: 4, issues: [] });
    const first = await ledgerSnapshot(db, companyId);
    await expect(JSON.stringify(first, null, 1)).toMatchFileSnapshot('./__snapshots__/credit-notes-bulk.json');
    expect(await run('credit-notes', notes)).toMatchObject({ created: 0, unchanged: 4 });
  });
});
