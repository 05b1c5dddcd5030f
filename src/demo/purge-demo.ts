import { setupChecklist, type SetupChecklist } from '../accounts/setup-checklist.ts';
import type { Actor } from '../shared/actor.ts';
import type { Db } from '../storage/database.ts';
import { purgeDemoData } from './demo-company.ts';

/** "Supprimer les données de démonstration": the purge, then the set-up checklist the dashboard shows next. */
export async function purgeDemo(db: Db, actor: Actor): Promise<SetupChecklist> {
  await purgeDemoData(db, actor);
  return setupChecklist(db, actor.companyId);
}
