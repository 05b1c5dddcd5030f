import { describe, expect, it } from 'vitest';
import { listAudit } from '../../src/storage/audit.ts';
import { openStore } from '../../src/storage/database.ts';
import { enqueueMessages } from '../../src/storage/outbox.ts';
import { workspace } from './support.ts';

type Workspace = ReturnType<typeof workspace>;

/** The audit rows of the workspace's company, oldest first, as a reader of the log sees them. */
async function auditOf(w: Workspace) {
  const store = await openStore(w.db);
  try {
    const { id: companyId } = await store.db.selectFrom('companies').select('id').executeTakeFirstOrThrow();
    return (await listAudit(store.db, companyId))
      .reverse()
      .map(({ userId, actor, action, target, details }) => ({ userId, actor, action, target, details }));
  } finally {
    await store.close();
  }
}

/** A failed e-mail in the workspace's outbox, as one the SMTP server refused would be. */
async function failedMessage(w: Workspace): Promise<string> {
  const store = await openStore(w.db);
  try {
    const { id: companyId } = await store.db.selectFrom('companies').select('id').executeTakeFirstOrThrow();
    const [message] = await enqueueMessages(store.db, companyId, [
      { idempotencyKey: 'audit-retry', kind: 'test', to: ['essai@example.test'], subject: 'Essai', text: 'Bonjour' },
    ]);
    await store.db
      .updateTable('outbox')
      .set({ status: 'failed', last_error: 'refused' })
      .where('id', '=', message!.id)
      .execute();
    return message!.id;
  } finally {
    await store.close();
  }
}

const BY_CLI = { userId: null, actor: 'command line' };

describe('settings and outbox changes audited from the command line', { timeout: 240_000 }, () => {
  it('the first command’s default company, company set, letter-settings and outbox --retry each write one audit row naming the command line', async () => {
    const w = workspace();
    const set = await w.run('company', 'set', '--phone', '04 78 00 00 00', '--json');
    expect(set.code).toBe(0);
    const { id: companyId } = JSON.parse(set.stdout) as { id: string };
    // Nothing given is said, and changes nothing: no second row.
    expect((await w.run('company', 'set')).stdout.trim()).toBe(
      'No setting given: nothing changed (relance company set --help lists them).',
    );
    expect(await auditOf(w)).toEqual([
      { ...BY_CLI, action: 'company.created', target: companyId, details: null },
      { ...BY_CLI, action: 'company.updated', target: companyId, details: { fields: ['phone'] } },
    ]);

    expect((await w.run('letter-settings', '--duplex', 'on')).code).toBe(0);
    // Showing the settings changes nothing, and writes no row.
    expect((await w.run('letter-settings')).code).toBe(0);
    const id = await failedMessage(w);
    const retried = await w.run('outbox', '--retry', id);
    expect(retried.code).toBe(0);
    expect(retried.stdout).toContain('1 message queued again');
    // Already queued again: nothing moves, nothing is written.
    expect((await w.run('outbox', '--retry', id)).code).toBe(0);
    expect((await auditOf(w)).slice(2)).toEqual([
      { ...BY_CLI, action: 'letters.settings', target: null, details: { fields: ['duplex'] } },
      { ...BY_CLI, action: 'outbox.retry', target: null, details: { ids: [id], requeued: 1 } },
    ]);
  });

  it('mail settings, a step’s test message, the simulation and a reminder by hand go through the audited use cases', async () => {
    const w = workspace();
    await w.importFiles(
      ['customers', w.file('c.csv', 'code,name,kind,email', 'C1,Client Un,company,compta@client-un.example')],
      [
        'invoices',
        w.file('i.csv', 'number,customer,issue_date,due_date,total,currency', 'F1,C1,2026-01-02,2026-01-31,120.00,EUR'),
      ],
    );
    expect((await w.run('mail', 'set', '--reply-to', 'compta@tests.relance.fr')).code).toBe(0);
    expect((await w.run('send-test', '--step', '1', '--to', 'essai@example.test')).code).toBe(0);
    expect((await w.run('simulate', '--to', 'essai@example.test')).code).toBe(0);
    // A reminder is recorded only where an SMTP server is set (none answers here: it stays queued).
    const reminded = await w.runWith(
      { RELANCE_SMTP_URL: 'smtp://127.0.0.1:9' },
      'remind',
      '--customer',
      'C1',
      '--invoice',
      'F1',
    );
    expect(reminded.stderr).toBe('');
    expect(reminded.code).toBe(0);
    const rows = (await auditOf(w)).filter((row) => !['company.created', 'import'].includes(row.action));
    expect(rows.map(({ action, userId, actor }) => ({ action, userId, actor }))).toEqual([
      { ...BY_CLI, action: 'mail.settings' },
      { ...BY_CLI, action: 'mail.test_sent' },
      { ...BY_CLI, action: 'mail.simulation_sent' },
      { ...BY_CLI, action: 'reminder.manual' },
    ]);
    expect(rows[3]!.details).toMatchObject({ invoices: 1, to: ['compta@client-un.example'] });
  });
});
