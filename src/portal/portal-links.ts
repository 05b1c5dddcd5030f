import { sha256 } from '../accounts/secrets.ts';
import { assertSees, type Actor } from '../shared/actor.ts';
import { AppError } from '../shared/errors.ts';
import { newId } from '../shared/ids.ts';
import { recordAudit } from '../storage/audit.ts';
import { getCompany, PORTAL_LINK_DAYS } from '../storage/companies.ts';
import { getCustomer, getCustomerByCode } from '../storage/customers.ts';
import type { Db } from '../storage/database.ts';
import { insertPortalLink, liveLinks, revokeCustomerLinks } from '../storage/portal-links.ts';
import { inTransaction } from '../storage/transactions.ts';
import { makeToken } from './token.ts';

/** How long the company's links open the page (a company setting, 1 to 365 days). */
async function linkDays(db: Db, companyId: string): Promise<number> {
  return (await getCompany(db, companyId)).portalLinkDays ?? PORTAL_LINK_DAYS;
}

/** The public address of the installation (never the request's Host header), without a trailing slash; null when unset. */
export function publicBaseUrl(explicit?: string | null): string | null {
  const base = (explicit ?? process.env.RELANCE_PUBLIC_URL ?? '').trim().replace(/\/+$/, '');
  return base === '' ? null : base;
}

export function portalUrl(base: string, token: string): string {
  return `${base}/portal/${token}`;
}

/** What previews and simulations show: the page's address with a token that opens nothing. */
export function samplePortalUrl(base = publicBaseUrl()): string {
  return `${base ?? 'https://relance.example'}/portal/exemple`;
}

// Timestamps as nowIso writes them, so both engines compare them alike.
function instantPlusDays(days: number): string {
  return new Date(Date.now() + days * 86_400_000).toISOString();
}

async function mint(
  db: Db,
  companyId: string,
  customerId: string,
  createdBy: string | null,
  days: number,
): Promise<string> {
  const id = newId();
  const token = await makeToken(db, { companyId, linkId: id });
  await insertPortalLink(db, companyId, {
    id,
    customerId,
    tokenHash: sha256(token),
    expiresAt: instantPlusDays(days),
    createdBy,
  });
  return token;
}

/**
 * The page's address for each customer, for messages being sent: the customer's live link while it has at least half
 * of the company's link lifetime left, else a new one. Call inside the transaction that records the messages, so a link exists only for what left.
 */
export async function portalUrlsFor(
  db: Db,
  companyId: string,
  customerIds: string[],
  base = publicBaseUrl(),
): Promise<Map<string, string>> {
  const urls = new Map<string, string>();
  if (base === null || customerIds.length === 0) return urls;
  const unique = [...new Set(customerIds)];
  const days = await linkDays(db, companyId);
  const live = await liveLinks(db, companyId, unique, instantPlusDays(days / 2));
  for (const customerId of unique) {
    const link = live.get(customerId);
    const token = link
      ? await makeToken(db, { companyId, linkId: link.id })
      : await mint(db, companyId, customerId, null, days);
    urls.set(customerId, portalUrl(base, token));
  }
  return urls;
}

/** Puts each customer's real page address into contexts of messages being sent (null without RELANCE_PUBLIC_URL). */
export async function withPortalUrls<T extends { customer: { id: string }; portalUrl?: string | null }>(
  db: Db,
  companyId: string,
  contexts: T[],
): Promise<T[]> {
  const urls = await portalUrlsFor(
    db,
    companyId,
    contexts.map((c) => c.customer.id),
  );
  for (const context of contexts) context.portalUrl = urls.get(context.customer.id) ?? null;
  return contexts;
}

async function customerOf(db: Db, actor: Actor, customer: { code?: string; id?: string }) {
  const found =
    customer.id !== undefined
      ? await getCustomer(db, actor.companyId, customer.id)
      : await getCustomerByCode(db, actor.companyId, customer.code ?? '');
  assertSees(actor, found, 'customer');
  return found;
}

/** A new link to the customer's page (the ones before stay valid until revoked or expired), with its audit row. */
export async function issuePortalLink(
  db: Db,
  actor: Actor,
  input: { customerCode?: string; customerId?: string; publicUrl?: string | null },
): Promise<{ url: string; expiresInDays: number }> {
  const base = publicBaseUrl(input.publicUrl);
  return inTransaction(db, async (trx) => {
    // A customer the actor cannot see is "not found" whatever the installation's settings.
    const customer = await customerOf(trx, actor, { code: input.customerCode, id: input.customerId });
    if (base === null)
      throw new AppError('invalid_input', 'Set RELANCE_PUBLIC_URL to the address customers reach relance at.', [], {
        key: 'portal.noPublicUrl',
      });
    const days = await linkDays(trx, actor.companyId);
    const token = await mint(trx, actor.companyId, customer.id, actor.userId, days);
    await recordAudit(trx, actor.companyId, {
      userId: actor.userId,
      actor: actor.name,
      action: 'portal.link',
      target: customer.code,
    });
    return { url: portalUrl(base, token), expiresInDays: days };
  });
}

/** Revokes every link of the customer: each opens the neutral "not found" page from now on. */
export async function revokePortalLinks(
  db: Db,
  actor: Actor,
  input: { customerCode?: string; customerId?: string },
): Promise<{ revoked: number }> {
  return inTransaction(db, async (trx) => {
    const customer = await customerOf(trx, actor, { code: input.customerCode, id: input.customerId });
    const revoked = await revokeCustomerLinks(trx, actor.companyId, customer.id);
    await recordAudit(trx, actor.companyId, {
      userId: actor.userId,
      actor: actor.name,
      action: 'portal.revoke',
      target: customer.code,
      details: { revoked },
    });
    return { revoked };
  });
}
