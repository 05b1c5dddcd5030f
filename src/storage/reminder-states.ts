import type { Db } from './database.ts';
import { inIds } from './in-list.ts';
import { clearNextActions } from './next-actions.ts';

/**
 * The reminders of these communications left (SMTP accepted the e-mail, or the letter was printed): `pending`
 * becomes `sent` and the invoices are planned again. A reminder keeps its date (the date its text and letter
 * bear), from which the next step counts.
 */
export async function markRemindersSent(db: Db, companyId: string, communicationIds: string[]): Promise<void> {
  if (communicationIds.length === 0) return;
  // The ids go as one bound array (`inIds`): the statements' text does not change with their number, so SQLite
  // prepares each once rather than for every batch of messages the dispatcher marks.
  const updated = await db
    .updateTable('reminders')
    .set({ state: 'sent' })
    .where('company_id', '=', companyId)
    .where(inIds(db, 'communication_id', communicationIds))
    .where('state', '=', 'pending')
    .returning('invoice_id')
    .execute();
  await clearNextActions(
    db,
    companyId,
    updated.map((r) => r.invoice_id),
  );
}
