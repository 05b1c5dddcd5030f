import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { addMember, addMemberDirectly } from '../../src/accounts/add-member.ts';
import { openDefaultCompany } from '../../src/accounts/default-company.ts';
import { changePassword, login, type Principal } from '../../src/accounts/auth.ts';
import { createApiToken } from '../../src/accounts/create-api-token.ts';
import { issueResetToken } from '../../src/accounts/reset-token.ts';
import { addDays, todayIn } from '../../src/domain/calendar.ts';
import { markDemoCompany, purgeDemoData } from '../../src/demo/demo-company.ts';
import { runReminders } from '../../src/dunning/run-reminders.ts';
import { sendSelectedReminders } from '../../src/dunning/send-selected-reminders.ts';
import { makeDebitBatch, writeDebitBatch } from '../../src/integrations/sepa/make-debit-batch.ts';
import { recordMandate } from '../../src/integrations/sepa/record-mandate.ts';
import { saveCreditorId } from '../../src/integrations/sepa/save-creditor-id.ts';
import { nextTargetDay } from '../../src/integrations/sepa/target-days.ts';
import { mailSimulation } from '../../src/mail/mail-simulation.ts';
import { sendComposedReminder } from '../../src/mail/send-composed-reminder.ts';
import { sendStepTest } from '../../src/mail/send-step-test.ts';
import { saveMailSettings } from '../../src/mail/settings.ts';
import { systemActor, type Actor } from '../../src/shared/actor.ts';
import { createCompany } from '../../src/storage/companies.ts';
import { createCustomer } from '../../src/storage/customers.ts';
import { createInvoice } from '../../src/storage/invoices.ts';
import { fixture, PASSWORD, type Fixture } from '../http/support.ts';
import { startSink, type Sink } from '../mail/support/sink.ts';
import { customerInput, invoiceInput } from '../repositories/helpers.ts';
import { dialects, freshStore } from '../support/stores.ts';

/** While set, every audit row is written and then the change fails, as a crash right after it would. */
const crash = vi.hoisted(() => ({ on: false }));
vi.mock('../../src/storage/audit.ts', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../src/storage/audit.ts')>();
  const failAfter =
    <A extends unknown[]>(write: (...args: A) => Promise<void>) =>
    async (...args: A) => {
      await write(...args);
      if (crash.on) throw new Error('crashed after its audit row');
    };
  return { ...real, recordAudit: failAfter(real.recordAudit), auditBy: failAfter(real.auditBy) };
});

type Case = {
  /** The use case, and the audit action it writes. */
  name: string;
  action: string;
  /** The company it acts in (Alpha's administrator by default). */
  company?: () => string;
  /** What the change leaves in the database, compared before and after. */
  state: () => Promise<unknown>;
  change: () => Promise<unknown>;
};

/**
 * Every change a person makes is written with its audit row in one transaction: when the change fails after its row
 * was written, neither remains; when it succeeds, exactly one row does. The e-mails they queue leave after the commit.
 */
describe.each(dialects)('audit rows in the change’s transaction on %s', (dialect) => {
  let f: Fixture;
  let sink: Sink;
  let dataDir: string;
  let alpha: Actor;
  let beta: Actor;

  beforeAll(async () => {
    f = await fixture(dialect);
    sink = await startSink();
    dataDir = mkdtempSync(join(tmpdir(), 'relance-audit-'));
    alpha = { companyId: f.alpha.company.id, salesRep: null, userId: f.users.admin, name: f.emails.admin };
    beta = { companyId: f.beta.company.id, salesRep: null, userId: f.users.betaAdmin, name: f.emails.betaAdmin };
    await saveMailSettings(f.store.db, alpha.companyId, { smtpUrl: sink.url, from: 'relances@alpha.example' });
    await saveCreditorId(f.store.db, alpha, { creditorId: 'FR72ZZZ123456' });
    await recordMandate(f.store.db, alpha, {
      customerCode: f.alpha.marie.code,
      reference: 'RUM-AUDIT-1',
      iban: 'FR7630006000011234567890189',
      signedOn: '2024-01-02',
    });
  }, 60_000);
  afterAll(async () => {
    await f?.dispose();
    await sink?.close();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  const options = () => ({ dataDir });
  const count = async (table: string, column: string, value: string) =>
    Number(
      (
        await sql<{
          n: number | string;
        }>`select count(*) as n from ${sql.table(table)} where ${sql.ref(column)} = ${value}`.execute(f.store.db)
      ).rows[0]!.n,
    );
  const completedRuns = async (companyId: string) =>
    Number(
      (
        await sql<{
          n: number | string;
        }>`select count(*) as n from runs where company_id = ${companyId} and status = 'completed'`.execute(f.store.db)
      ).rows[0]!.n,
    );
  const audited = async (companyId: string, action: string) =>
    Number(
      (
        await sql<{
          n: number | string;
        }>`select count(*) as n from audit_log where company_id = ${companyId} and action = ${action}`.execute(
          f.store.db,
        )
      ).rows[0]!.n,
    );
  const principal = (): Principal => ({
    companyId: f.alpha.company.id,
    userId: f.users.viewer,
    role: 'viewer',
    salesRep: null,
    email: f.emails.viewer,
    via: 'token',
    installationAdmin: false,
  });
  const passwordHash = async () =>
    (await f.store.db.selectFrom('users').select('password_hash').where('id', '=', f.users.viewer).executeTakeFirst())
      ?.password_hash;

  const cases: Case[] = [
    {
      name: 'adding a member',
      action: 'user.added',
      state: () => count('memberships', 'company_id', alpha.companyId),
      change: () =>
        addMember(f.store.db, alpha, {
          email: 'new.member@example.test',
          role: 'viewer',
          name: null,
          salesRep: null,
          password: PASSWORD,
          invitedBy: f.emails.admin,
        }),
    },
    {
      name: 'adding a member from the command line',
      action: 'user.added',
      company: () => beta.companyId,
      state: () => count('memberships', 'company_id', beta.companyId),
      change: () =>
        addMemberDirectly(f.store.db, systemActor(beta.companyId, 'command line'), {
          email: 'direct.member@example.test',
          role: 'collector',
          password: PASSWORD,
        }),
    },
    {
      name: 'creating an API token',
      action: 'token.created',
      state: () => count('api_tokens', 'company_id', alpha.companyId),
      change: () => createApiToken(f.store.db, alpha, { name: 'audited token' }),
    },
    {
      name: 'logging in',
      action: 'session.login',
      state: () => count('sessions', 'user_id', f.users.admin),
      change: () => login(f.store.db, { email: f.emails.admin, password: PASSWORD }, { ip: '192.0.2.1' }),
    },
    {
      name: 'changing one’s password',
      action: 'user.password_changed',
      state: passwordHash,
      change: () => changePassword(f.store.db, principal(), PASSWORD, 'another correct horse 42'),
    },
    {
      name: 'a reset token from the command line',
      action: 'user.reset_token_issued',
      state: () => count('password_resets', 'user_id', f.users.collector),
      change: () => issueResetToken(f.store.db, systemActor(alpha.companyId, 'command line'), f.emails.collector),
    },
    {
      name: 'mailing the simulation',
      action: 'mail.simulation_sent',
      state: () => count('outbox', 'company_id', alpha.companyId),
      change: () => mailSimulation(f.store.db, alpha, { to: 'me@alpha.example' }, options()),
    },
    {
      name: 'a step’s test message',
      action: 'mail.test_sent',
      state: () => count('outbox', 'company_id', alpha.companyId),
      change: () => sendStepTest(f.store.db, alpha, { level: 1, to: 'me@alpha.example' }, options()),
    },
    {
      name: 'a reminder from the composer',
      action: 'reminder.manual',
      state: () => count('communications', 'company_id', alpha.companyId),
      change: () =>
        sendComposedReminder(
          f.store.db,
          alpha,
          { customerId: f.alpha.marie.id, invoiceIds: [f.alpha.invoice.id] },
          options(),
        ),
    },
    {
      name: 'a run',
      action: 'run.recorded',
      company: () => beta.companyId,
      state: () => completedRuns(beta.companyId),
      change: () => runReminders(f.store.db, beta, { lettersOnly: true, printLetters: false, dataDir }),
    },
    {
      name: 'sending the selected reminders',
      action: 'reminders.sent',
      state: () => completedRuns(alpha.companyId),
      change: () =>
        sendSelectedReminders(
          f.store.db,
          alpha,
          { invoiceIds: [f.alpha.paulInvoice.id], dryRun: false, emailsAs: 'letter' },
          options(),
        ),
    },
    {
      name: 'a SEPA debit batch',
      action: 'sepa.debits',
      state: () => count('direct_debits', 'company_id', alpha.companyId),
      change: async () =>
        makeDebitBatch(f.store.db, alpha, {
          collectionDate: nextTargetDay(addDays(todayIn(f.alpha.company.timeZone), 3)),
        }),
    },
  ];

  it.each(cases)('$name', async ({ action, company, state, change }) => {
    const auditedIn = () => audited(company?.() ?? alpha.companyId, action);
    const before = { audit: await auditedIn(), state: await state() };
    crash.on = true;
    try {
      await expect(change()).rejects.toThrow(/crashed after its audit row/);
    } finally {
      crash.on = false;
    }
    expect(await auditedIn()).toBe(before.audit);
    expect(await state()).toEqual(before.state);
    await change();
    expect(await auditedIn()).toBe(before.audit + 1);
    expect(await state()).not.toEqual(before.state);
  });

  it('the SEPA file written by the command line is audited like the API’s batch', async () => {
    const company = await createCompany(f.store.db, {
      legalName: 'Delta',
      iban: 'FR7630006000011234567890189',
      address: { line1: '1 rue A', line2: null, postcode: '69002', city: 'Lyon', country: 'FR' },
    });
    const delta = systemActor(company.id, 'command line');
    const customer = await createCustomer(f.store.db, company.id, customerInput('D1'));
    await createInvoice(f.store.db, company.id, customer.id, invoiceInput('D-F1', { dueDate: '2025-01-31' }));
    await saveCreditorId(f.store.db, delta, { creditorId: 'FR72ZZZ123456' });
    await recordMandate(f.store.db, delta, {
      customerCode: 'D1',
      reference: 'RUM-DELTA',
      iban: 'FR7630006000011234567890189',
      signedOn: '2024-01-02',
    });
    const out = join(dataDir, 'delta.xml');
    crash.on = true;
    try {
      await expect(
        writeDebitBatch(f.store.db, delta, { collectionDate: nextTargetDay(addDays(todayIn('Europe/Paris'), 3)), out }),
      ).rejects.toThrow(/crashed/);
    } finally {
      crash.on = false;
    }
    expect(await count('direct_debits', 'company_id', company.id)).toBe(0);
    expect(await audited(company.id, 'sepa.debits')).toBe(0);
    const batch = await writeDebitBatch(f.store.db, delta, {
      collectionDate: nextTargetDay(addDays(todayIn('Europe/Paris'), 3)),
      out,
    });
    expect(batch.debits).toHaveLength(1);
    expect(await audited(company.id, 'sepa.debits')).toBe(1);
  });

  it('making the default company of a new database', async () => {
    const store = await freshStore(dialect);
    const operator = { userId: null, name: 'command line' };
    try {
      crash.on = true;
      try {
        await expect(openDefaultCompany(store.db, operator)).rejects.toThrow(/crashed/);
      } finally {
        crash.on = false;
      }
      expect(await store.db.selectFrom('companies').select('id').execute()).toEqual([]);
      const company = await openDefaultCompany(store.db, operator);
      expect(await store.db.selectFrom('audit_log').select(['company_id', 'action']).execute()).toEqual([
        { company_id: company.id, action: 'company.created' },
      ]);
    } finally {
      await store.dispose();
    }
  });

  it('purging the demonstration data', async () => {
    const company = await createCompany(f.store.db, { legalName: 'Gamma' });
    await markDemoCompany(f.store.db, company.id);
    await createCustomer(f.store.db, company.id, customerInput('G1'));
    const gamma = systemActor(company.id, 'admin@gamma.example');
    crash.on = true;
    try {
      await expect(purgeDemoData(f.store.db, gamma)).rejects.toThrow(/crashed/);
    } finally {
      crash.on = false;
    }
    expect(await count('customers', 'company_id', company.id)).toBe(1);
    expect(await audited(company.id, 'demo.purged')).toBe(0);
    await purgeDemoData(f.store.db, gamma);
    expect(await count('customers', 'company_id', company.id)).toBe(0);
    expect(await audited(company.id, 'demo.purged')).toBe(1);
  });
});
