import { z } from 'zod';

/**
 * admin: settings, users, policies, tokens, webhooks, imports. collector: sends reminders, records
 * payments, disputes and holds (only for its own sales rep's customers when it has one). viewer: reads.
 */
export const RoleSchema = z.enum(['admin', 'collector', 'viewer']);
export type Role = z.infer<typeof RoleSchema>;

/** What a route needs: `read` any member, `collect` a collector or admin, `admin` an admin. */
export type Access = 'public' | 'authenticated' | 'read' | 'collect' | 'admin';

const RANK: Record<Role, number> = { viewer: 1, collector: 2, admin: 3 };
const NEEDED: Record<Exclude<Access, 'public' | 'authenticated'>, number> = { read: 1, collect: 2, admin: 3 };

export function allows(role: Role, access: Access): boolean {
  if (access === 'public' || access === 'authenticated') return true;
  return RANK[role] >= NEEDED[access];
}
