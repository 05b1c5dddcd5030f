import { z } from 'zod';

/**
 * admin: settings, users, policies, tokens, webhooks, imports. collector: sends reminders, records
 * payments, disputes and holds (only for its own sales rep's customers when it has one). viewer: reads.
 * Apart from the roles in a company, an administrator of the installation may create companies. What each
 * role may do is the table of `permissions.ts`.
 */
export const RoleSchema = z.enum(['admin', 'collector', 'viewer']);
export type Role = z.infer<typeof RoleSchema>;
