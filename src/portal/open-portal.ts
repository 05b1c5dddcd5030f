import { sameText, sha256 } from '../accounts/secrets.ts';
import type { Company } from '../domain/ledger.ts';
import { AppError } from '../shared/errors.ts';
import type { Actor } from '../shared/actor.ts';
import type { Db } from '../storage/database.ts';
import { nowIso } from '../storage/database.ts';
import { touchPortalLink } from '../storage/portal-links.ts';
import { portalVisitRow, type PortalCustomerRow } from '../storage/portal-page.ts';
import { readToken } from './token.ts';

/**
 * Whom a valid page link lets in: one customer of one company, nothing else; with what the page shows of both,
 * read in the same statement as the link.
 */
export type PortalVisit = {
  token: string;
  companyId: string;
  customerId: string;
  linkId: string;
  company: Company;
  customer: PortalCustomerRow;
  logoStamp: string | null;
};

const USE_NOTED_EVERY_MS = 60 * 60_000;

/** Every refusal is the same "not found": a visitor never learns whether a link was forged, expired or revoked. */
function refused(): AppError {
  return new AppError('not_found', 'No such page.', [], { key: 'portal.notFound.body' });
}

/**
 * The visit a token opens: its signature first (a forged or guessed token costs no query), then its link by
 * primary key, the stored hash compared in constant time, neither revoked nor expired.
 */
export async function openPortal(db: Db, token: string): Promise<PortalVisit> {
  const parts = await readToken(db, token);
  if (!parts) throw refused();
  const row = await portalVisitRow(db, parts.companyId, parts.linkId);
  if (!row || !sameText(row.link.tokenHash, sha256(token))) throw refused();
  const { link } = row;
  const now = nowIso();
  if (link.revokedAt !== null || link.expiresAt <= now) throw refused();
  // The last use is noted at most hourly: the page must not write on every view.
  if (link.lastUsedAt === null || Date.parse(link.lastUsedAt) < Date.now() - USE_NOTED_EVERY_MS)
    await touchPortalLink(db, parts.companyId, parts.linkId);
  return {
    token,
    companyId: parts.companyId,
    customerId: link.customerId,
    linkId: parts.linkId,
    company: row.company,
    customer: row.customer,
    logoStamp: row.logoStamp,
  };
}

/** The customer acting from their page, as the audit log and the use cases see them. */
export function portalActor(visit: PortalVisit, name: string): Actor {
  return { companyId: visit.companyId, salesRep: null, userId: null, name };
}
