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
 * Makes the pain.008 batch of the due invoices of customers with a mandate, to collect on a TARGET day, with its
 * audit row. The file is written with its records and served again from the recorded batch, so the working copy
 * is removed here.
 */
export async function makeDebitBatch(
  db: Kysely<Database>,
  actor: Actor,
  input: { collectionDate: IsoDate },
): Promise<Omit<DebitBatch, 'file'>> {
  const company = await getCompany(db, actor.companyId);
  const dir = mkdtempSync(join(tmpdir(), 'relance-sepa-'));
  try {
    const batch = await generateDirectDebits(db, actor.companyId, {
      collectionDate: input.collectionDate,
      today: todayIn(company.timeZone),
      out: join(dir, 'pain008.xml'),
    });
    await auditBy(db, actor, 'sepa.debits', batch.messageId, { debits: batch.debits.length, total: batch.total });
    const { file: _file, ...recorded } = batch;
    return recorded;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
