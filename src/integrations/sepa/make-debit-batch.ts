import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Kysely } from 'kysely';
import { todayIn, type IsoDate } from '../../domain/calendar.ts';
import type { Actor } from '../../shared/actor.ts';
import { auditBy } from '../../storage/audit.ts';
import { getCompany } from '../../storage/companies.ts';
import type { Database } from '../../storage/schema.ts';
import { generateDirectDebits, type DebitBatch } from './direct-debits.ts';

/**
 * Writes the pain.008 file of the due invoices of customers with a mandate, to collect on a TARGET day, to `out`:
 * the debits are recorded with the batch's audit row in one transaction (`relance sepa debit`).
 */
export async function writeDebitBatch(
  db: Kysely<Database>,
  actor: Actor,
  input: { collectionDate: IsoDate; out: string },
): Promise<DebitBatch> {
  const company = await getCompany(db, actor.companyId);
  return generateDirectDebits(
    db,
    actor.companyId,
    { collectionDate: input.collectionDate, today: todayIn(company.timeZone), out: input.out },
    (trx, batch) =>
      auditBy(trx, actor, 'sepa.debits', batch.messageId, { debits: batch.debits.length, total: batch.total }),
  );
}

/**
 * The same batch asked for through the API: the file is served again from the recorded batch, so the working copy
 * is removed here.
 */
export async function makeDebitBatch(
  db: Kysely<Database>,
  actor: Actor,
  input: { collectionDate: IsoDate },
): Promise<Omit<DebitBatch, 'file'>> {
  const dir = mkdtempSync(join(tmpdir(), 'relance-sepa-'));
  try {
    const { file: _file, ...recorded } = await writeDebitBatch(db, actor, {
      ...input,
      out: join(dir, 'pain008.xml'),
    });
    return recorded;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
