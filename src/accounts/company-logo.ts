import { AppError } from '../shared/errors.ts';
import { recordAudit } from '../storage/audit.ts';
import type { Db } from '../storage/database.ts';
import { getLetterSettings, setLetterSettings } from '../storage/documents.ts';
import { inTransaction } from '../storage/transactions.ts';

/** What is known of the letterhead's logo without sending its bytes. */
export type LogoInfo = { mediaType: string; bytes: number } | null;

export async function companyLogo(db: Db, companyId: string): Promise<LogoInfo> {
  const { logo } = await getLetterSettings(db, companyId);
  return logo ? { mediaType: logo.mediaType, bytes: logo.content.length } : null;
}

/**
 * Sets (base64 PNG or JPEG) or removes (null) the logo printed in the letterhead, with its audit row. The image
 * is read as the letter settings read it: PNG or JPEG only, under 2 MB.
 */
export async function setCompanyLogo(
  db: Db,
  actor: { companyId: string; userId: string | null; name: string },
  base64: string | null,
): Promise<LogoInfo> {
  let image: Uint8Array | null = null;
  if (base64 !== null) {
    image = Buffer.from(base64, 'base64');
    if (image.length === 0 || !/^[A-Za-z0-9+/]+={0,2}$/.test(base64.replace(/\s/g, '')))
      throw new AppError(
        'invalid_input',
        'image: not a base64-encoded PNG or JPEG image.',
        [{ field: 'body.image', reason: 'not base64', code: 'reason.notBase64' }],
        { key: 'problem.accounts.logoImage' },
      );
  }
  return inTransaction(db, async (trx) => {
    await setLetterSettings(trx, actor.companyId, { logo: image });
    await recordAudit(trx, actor.companyId, {
      userId: actor.userId,
      actor: actor.name,
      action: image ? 'company.logo.set' : 'company.logo.removed',
      target: actor.companyId,
      details: image ? { bytes: image.length } : undefined,
    });
    return companyLogo(trx, actor.companyId);
  });
}
