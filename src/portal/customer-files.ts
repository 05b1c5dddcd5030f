import { assertSees, type Actor } from '../shared/actor.ts';
import { AppError } from '../shared/errors.ts';
import { isId } from '../shared/ids.ts';
import { getCustomer } from '../storage/customers.ts';
import type { Db } from '../storage/database.ts';
import { getPortalFile, listPortalFiles, type PortalFile } from '../storage/portal-files.ts';

export type { PortalFile } from '../storage/portal-files.ts';

/** What the customer attached to their disputes on the payment page, newest first. */
export async function customerPortalFiles(db: Db, actor: Actor, customerId: string): Promise<PortalFile[]> {
  const customer = await getCustomer(db, actor.companyId, customerId);
  assertSees(actor, customer, `customer with id ${customerId}`);
  return listPortalFiles(db, actor.companyId, customer.id);
}

/** One such file, to download; another représentant's customer's file is as absent as one that never existed. */
export async function portalFile(db: Db, actor: Actor, id: string): Promise<PortalFile & { content: Buffer }> {
  const file = isId(id) ? await getPortalFile(db, actor.companyId, id) : undefined;
  if (!file)
    throw new AppError('not_found', `No payment page attachment with id ${id}.`, [], {
      key: 'problem.notFound.portalFile',
      params: { id },
    });
  assertSees(actor, await getCustomer(db, actor.companyId, file.customerId), `payment page attachment with id ${id}`);
  return file;
}
