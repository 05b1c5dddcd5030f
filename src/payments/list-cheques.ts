import type { Viewer } from '../shared/viewer.ts';
import type { Db } from '../storage/database.ts';
import {
  listRemittances,
  listWaitingCheques,
  type ChequeLine,
  type ChequeRemittance,
} from '../storage/cheque-remittances.ts';

/** Cheques received and not yet on a remittance slip, of the customers the viewer may see. */
export async function listChequesToRemit(db: Db, who: Viewer): Promise<ChequeLine[]> {
  return listWaitingCheques(db, who.companyId, { salesRep: who.salesRep ?? undefined });
}

/** The remittance slips, as the viewer may see them. */
export async function listChequeRemittances(db: Db, who: Viewer): Promise<ChequeRemittance[]> {
  return listRemittances(db, who.companyId, { salesRep: who.salesRep ?? undefined });
}
