import { systemActor } from '../shared/actor.ts';
import { addUser } from './auth.ts';
import { setupChecklist, type SetupChecklist } from './setup-checklist.ts';
import { DEFAULT_POLICY_JSON } from '../domain/dunning/policy.ts';
import { importCsv, type ImportReport } from '../import/run-import.ts';
import { dispatchOutbox } from '../mail/dispatch.ts';
import { saveMailSettings } from '../mail/settings.ts';
import { smtpUrlFromFields, type SmtpFields } from '../mail/smtp-presets.ts';
import { sendTestMessage } from '../mail/test-send.ts';
import { checkCompanyInput, updateCompany, type CompanyInput } from '../storage/companies.ts';
import type { Store } from '../storage/database.ts';
import { saveLetterSettings } from '../documents/save-letter-settings.ts';
import { savePolicy } from '../dunning/save-policy.ts';

/** What `relance setup` was given: each part optional, applied in the checklist's order. */
export type SetupInput = {
  admin?: { email: string; password?: string };
  identity?: Partial<CompanyInput>;
  /** PNG or JPEG printed in the letterhead. */
  logo?: Uint8Array;
  smtp?: SmtpFields;
  /** A test message to this address through the SMTP server just set. */
  testTo?: string;
  /** A policy JSON, or 'default' to save the built-in one as the company's. */
  policy?: unknown;
  imports?: { kind: 'customers' | 'invoices' | 'payments' | 'credit-notes'; fileName: string; bytes: Uint8Array }[];
};

/** How the test message went, said by each adapter in its reader's words; `detail` is the SMTP server's own. */
export type TestSend = {
  to: string;
  result: 'sent' | 'noSmtp' | 'refused' | 'stopped';
  /** Why it stopped, as written for logs, and as a catalogue text to say in the reader's language. */
  detail?: string;
  reason?: { code: string; params: Record<string, string | number> };
};

export type SetupOutcome = {
  adminPassword: string | null;
  testSend: TestSend | null;
  imports: ImportReport[];
  checklist: SetupChecklist;
};

/** Applies the steps given, each with the use case that owns it, then says where the set-up stands. */
export async function applySetup(store: Store, companyId: string, input: SetupInput): Promise<SetupOutcome> {
  const db = store.db;
  // A mistyped IBAN or SIRET is refused before the administrator or anything else is written.
  if (input.identity) checkCompanyInput(input.identity);
  let adminPassword: string | null = null;
  if (input.admin) {
    const added = await addUser(db, companyId, {
      email: input.admin.email,
      role: 'admin',
      password: input.admin.password,
    });
    adminPassword = added.generatedPassword;
  }
  if (input.identity && Object.keys(input.identity).length > 0) await updateCompany(db, companyId, input.identity);
  if (input.logo) await saveLetterSettings(db, systemActor(companyId, 'setup'), { logo: input.logo });
  if (input.smtp) await saveMailSettings(db, companyId, { smtpUrl: smtpUrlFromFields(input.smtp) });
  let testSend: TestSend | null = null;
  if (input.testTo) {
    await sendTestMessage(db, companyId, { level: 1, to: input.testTo });
    const report = await dispatchOutbox(db, companyId, { limit: 1 });
    testSend = report.stopped
      ? {
          to: input.testTo,
          result: 'stopped',
          detail: report.stopped,
          ...(report.stoppedReason ? { reason: report.stoppedReason } : {}),
        }
      : { to: input.testTo, result: report.sent > 0 ? 'sent' : report.notSent > 0 ? 'noSmtp' : 'refused' };
  }
  if (input.policy !== undefined) {
    const json = input.policy === 'default' ? DEFAULT_POLICY_JSON : input.policy;
    await savePolicy(db, systemActor(companyId, 'setup'), { definition: json, makeDefault: true });
  }
  const imports: ImportReport[] = [];
  for (const file of input.imports ?? [])
    imports.push(await importCsv(store.db, systemActor(companyId, 'setup'), file));
  return { adminPassword, testSend, imports, checklist: await setupChecklist(db, companyId) };
}
