import type { Actor } from '../shared/actor.ts';
import { mailInvitation } from '../mail/invitation-mail.ts';
import { auditBy } from '../storage/audit.ts';
import { getCompany } from '../storage/companies.ts';
import type { Db } from '../storage/database.ts';
import { hasInstallationAdmin } from '../storage/users.ts';
import { addUser, type AddedUser } from './auth.ts';
import type { Role } from './roles.ts';

export type NewMember = {
  email: string;
  role: Role;
  name: string | null;
  salesRep: string | null;
  password?: string;
  /** The address the invitation names as its sender. */
  invitedBy: string;
};

export type AddedMember = AddedUser;

/**
 * Adds a person to the actor's company, or invites an existing account (it joins once it accepts), with its audit
 * row in the same transaction. The invitation e-mail leaves in the background once that is committed: the
 * invitation stands whether it leaves or not, since the person also finds it in the menu; `onMail` hears how it went.
 */
export async function addMember(
  db: Db,
  actor: Actor,
  input: NewMember,
  onMail: { sent?: (outcome: 'sent' | 'no_smtp') => void; failed?: (error: unknown) => void } = {},
): Promise<AddedMember> {
  const result = await addUser(db, actor.companyId, input, (trx, added) =>
    auditBy(trx, actor, added.invited ? 'user.invited' : 'user.added', added.user.email, {
      role: input.role,
      salesRep: input.salesRep,
    }),
  );
  if (result.invited) {
    const { legalName } = await getCompany(db, actor.companyId);
    void mailInvitation(db, actor.companyId, {
      email: result.user.email,
      legalName,
      role: input.role,
      invitedBy: input.invitedBy,
    }).then(
      (outcome) => onMail.sent?.(outcome),
      (error: unknown) => onMail.failed?.(error),
    );
  }
  return result;
}

/**
 * `relance user add`: whoever runs the installation adds a person at once, an existing account included (no
 * invitation), with its audit row. Someone must be able to create companies: the first admin of an installation is
 * its administrator.
 */
export async function addMemberDirectly(
  db: Db,
  actor: Actor,
  input: Omit<NewMember, 'invitedBy' | 'name' | 'salesRep'> & {
    name?: string | null;
    salesRep?: string | null;
    installationAdmin?: boolean;
  },
): Promise<AddedMember> {
  const first = input.role === 'admin' && !(await hasInstallationAdmin(db));
  return addUser(
    db,
    actor.companyId,
    { ...input, direct: true, installationAdmin: input.installationAdmin || first },
    (trx, added) => auditBy(trx, actor, 'user.added', added.user.email, { role: input.role }),
  );
}
