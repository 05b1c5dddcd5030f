import { z } from 'zod';
import { AppError } from '../shared/errors.ts';

/**
 * admin: settings, users, policies, tokens, webhooks, imports. collector: sends reminders, records
 * payments, disputes and holds (only for its own sales rep's customers when it has one). viewer: reads.
 * Apart from the roles in a company, an administrator of the installation may create companies.
 */
export const RoleSchema = z.enum(['admin', 'collector', 'viewer']);
export type Role = z.infer<typeof RoleSchema>;

/**
 * What a route or use case needs: `read` any member, `collect` a collector or admin, `admin` an admin,
 * `installation` an administrator of the installation (whatever the role in the current company).
 */
export type Access = 'public' | 'authenticated' | 'read' | 'collect' | 'admin' | 'installation';

/** Who may do what, in one table: every route's access and every use case's own check read it (`allows`, `authorize`). */
export const PERMISSIONS: Record<Exclude<Access, 'public' | 'authenticated'>, Record<Role, boolean>> = {
  read: { viewer: true, collector: true, admin: true },
  collect: { viewer: false, collector: true, admin: true },
  admin: { viewer: false, collector: false, admin: true },
  installation: { viewer: false, collector: false, admin: false },
};

/** The caller as the table needs it. */
export type Actor = { role: Role; installationAdmin?: boolean };

export function allows(role: Role, access: Access, installationAdmin = false): boolean {
  if (access === 'public' || access === 'authenticated') return true;
  if (access === 'installation') return installationAdmin;
  return PERMISSIONS[access][role];
}

const NEEDS: Record<Exclude<Access, 'public' | 'authenticated'>, string> = {
  read: 'a member of the company',
  collect: 'the collector or admin role',
  admin: 'the admin role',
  installation: 'an administrator of the installation',
};

/** Throws `forbidden` (403) unless the table lets the actor do it; the message says what is needed. */
export function authorize(actor: Actor, access: Access): void {
  if (allows(actor.role, access, actor.installationAdmin ?? false)) return;
  const key = access as Exclude<Access, 'public' | 'authenticated'>;
  throw new AppError('forbidden', `This needs ${NEEDS[key]}; you are ${actor.role}.`);
}
