import { AppError } from '../shared/errors.ts';
import type { Role } from './roles.ts';

const EVERYONE: readonly Role[] = ['viewer', 'collector', 'admin'];
const COLLECTORS: readonly Role[] = ['collector', 'admin'];
const ADMINS: readonly Role[] = ['admin'];
/** Whatever the role in the current company: only an administrator of the installation. */
const INSTALLATION = 'installation' as const;

/**
 * Who may do what, in one table: every route declares one of these actions as its `access`, every use case
 * that checks its caller names one, and the authorization matrix test reads it. viewer: reads; collector:
 * sends reminders, records payments, disputes and holds (only for its own sales rep's customers when it has
 * one); admin: settings, users, policies, tokens, webhooks, imports.
 */
export const PERMISSIONS = {
  'company.view': EVERYONE,
  'company.configure': ADMINS,
  'companies.create': INSTALLATION,
  'dashboard.view': EVERYONE,
  'setup.view': EVERYONE,
  'demo.purge': ADMINS,
  'customers.view': EVERYONE,
  /** Every sales rep's customers, whatever the sales rep the membership is restricted to. */
  'customers.view-all-reps': ADMINS,
  'customers.edit': COLLECTORS,
  'customers.hold': COLLECTORS,
  'activities.record': COLLECTORS,
  /** Marking a customer's answer read lifts the hold it puts on the reminders: whoever collects does it. */
  'replies.mark-read': COLLECTORS,
  'tasks.view': EVERYONE,
  'tasks.complete': COLLECTORS,
  'invoices.view': EVERYONE,
  'invoices.create': COLLECTORS,
  'invoices.follow-up': COLLECTORS,
  'invoices.cancel': ADMINS,
  'documents.view': EVERYONE,
  'quotes.view': EVERYONE,
  'quotes.edit': COLLECTORS,
  'payments.view': EVERYONE,
  'payments.record': COLLECTORS,
  'payments.delete': ADMINS,
  'sepa.view': EVERYONE,
  /** A mandate signed by a customer is recorded by whoever collects from it. */
  'sepa.mandate': COLLECTORS,
  /** Revoking mandates, the creditor's own data and the debit files sent to the bank. */
  'sepa.manage': ADMINS,
  'bank.view': EVERYONE,
  'bank.match': COLLECTORS,
  'integrations.import': ADMINS,
  'imports.run': ADMINS,
  'policies.view': EVERYONE,
  'policies.edit': ADMINS,
  'dunning.view': EVERYONE,
  'reminders.draft': EVERYONE,
  'reminders.send': COLLECTORS,
  'runs.start': COLLECTORS,
  'outbox.view': EVERYONE,
  'outbox.send': COLLECTORS,
  'templates.view': EVERYONE,
  'templates.edit': ADMINS,
  'templates.test-send': COLLECTORS,
  'mail.configure': ADMINS,
  'simulation.send': ADMINS,
  'rates.view': EVERYONE,
  'rates.edit': ADMINS,
  'reports.view': EVERYONE,
  'users.manage': ADMINS,
  'tokens.manage': ADMINS,
  'audit.view': ADMINS,
  'webhooks.manage': ADMINS,
} as const satisfies Record<string, readonly Role[] | typeof INSTALLATION>;

export type Action = keyof typeof PERMISSIONS;

/** What a route declares: an action of the table, or no check beyond a session (`authenticated`) or none. */
export type Access = 'public' | 'authenticated' | Action;

/** The caller as the table needs it. */
export type Actor = { role: Role; installationAdmin?: boolean };

export function allows(actor: Actor, access: Access): boolean {
  if (access === 'public' || access === 'authenticated') return true;
  const who: readonly Role[] | typeof INSTALLATION = PERMISSIONS[access];
  if (who === INSTALLATION) return actor.installationAdmin === true;
  return who.includes(actor.role);
}

/** Who is needed, as the refusal says it: the narrowest of the table's groups that holds the action. */
function needed(action: Action): 'installation' | 'admin' | 'collector' | 'member' {
  const who: readonly Role[] | typeof INSTALLATION = PERMISSIONS[action];
  if (who === INSTALLATION) return 'installation';
  return who.includes('viewer') ? 'member' : who.includes('collector') ? 'collector' : 'admin';
}

const NEEDS = {
  installation: 'an administrator of the installation',
  admin: 'the admin role',
  collector: 'the collector or admin role',
  member: 'a member of the company',
};

/** Throws `forbidden` (403) unless the table lets the actor do it; the message says what is needed. */
export function authorize(actor: Actor, access: Access): void {
  if (allows(actor, access)) return;
  const need = needed(access as Action);
  throw new AppError('forbidden', `This needs ${NEEDS[need]}; you are ${actor.role}.`, [], {
    key: `access.${need}`,
  });
}
