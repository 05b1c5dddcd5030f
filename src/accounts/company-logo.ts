import { AppError } from '../shared/errors.ts';
import { saveLetterSettings, viewLetterSettings } from '../documents/save-letter-settings.ts';
import type { Actor } from '../shared/actor.ts';
import type { Db } from '../storage/database.ts';

/** What is known of the letterhead's logo without sending its bytes. */
export type LogoInfo = { mediaType: string; bytes: number } | null;

export async function companyLogo(db: Db, companyId: string): Promise<LogoInfo> {
  const { logo } = await viewLetterSettings(db, companyId);
  return logo ? { mediaType: logo.mediaType, bytes: logo.content.length } : null;
}

/**
 * Sets (base64 PNG or JPEG) or removes (null) the logo printed in the letterhead: a change of the letter settings,
 * audited as the command line's `letter-settings --logo` is. The image is read as the letter settings read it: PNG
 * or JPEG only, under 2 MB.
 */
export async function setCompanyLogo(db: Db, actor: Actor, base64: string | null): Promise<LogoInfo> {
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
  const { logo } = await saveLetterSettings(db, actor, { logo: image });
  return logo ? { mediaType: logo.mediaType, bytes: logo.content.length } : null;
}
