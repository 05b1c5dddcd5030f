import { AppError } from '../shared/errors.ts';
import { recordAudit } from '../storage/audit.ts';
import { createCompany } from '../storage/companies.ts';
import { deleteInvitation, listUserInvitations, takeInvitation, type Invitation } from '../storage/invitations.ts';
import { inTransaction } from '../storage/transactions.ts';
import type { Db } from '../storage/database.ts';
import { getMembership, setMembership } from '../storage/users.ts';
import type { Company } from '../domain/ledger.ts';
import type { Principal } from './auth.ts';
import { authorize } from './permissions.ts';

/** The invitations waiting for the caller's account, in any company. */
export async function myInvitations(db: Db, principal: Principal): Promise<Invitation[]> {
  return listUserInvitations(db, principal.userId, new Date().toISOString());
}

/** The account joins the inviting company with the invited role; audited in that company. */
export async function acceptInvitation(db: Db, principal: Principal, id: string): Promise<{ companyId: string }> {
  return inTransaction(db, async (trx) => {
    const invitation = await takeInvitation(trx, principal.userId, id, new Date().toISOString());
    if (!invitation)
      throw new AppError('not_found', `No pending invitation with id ${id}.`, [], {
        key: 'problem.notFound.invitation',
        params: { id },
      });
    if (!(await getMembership(trx, invitation.companyId, principal.userId))) {
      await setMembership(trx, invitation.companyId, principal.userId, {
        role: invitation.role,
        salesRep: invitation.salesRep,
      });
    }
    await recordAudit(trx, invitation.companyId, {
      userId: principal.userId,
      actor: principal.email,
      action: 'invitation.accepted',
      target: principal.userId,
      details: { role: invitation.role },
    });
    return { companyId: invitation.companyId };
  });
}

export async function declineInvitation(db: Db, principal: Principal, id: string): Promise<void> {
  if (!(await deleteInvitation(db, principal.userId, id)))
    throw new AppError('not_found', `No pending invitation with id ${id}.`, [], {
      key: 'problem.notFound.invitation',
      params: { id },
    });
}

/** A new company, its creator its admin: only for an administrator of the installation. */
export async function createCompanyAsAdmin(
  db: Db,
  principal: Principal,
  input: { legalName: string },
): Promise<Company> {
  authorize(principal, 'companies.create');
  return inTransaction(db, async (trx) => {
    const created = await createCompany(trx, { legalName: input.legalName });
    await setMembership(trx, created.id, principal.userId, { role: 'admin' });
    await recordAudit(trx, created.id, {
      userId: principal.userId,
      actor: principal.email,
      action: 'company.created',
      target: created.id,
    });
    return created;
  });
}
