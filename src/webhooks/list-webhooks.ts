import type { Db } from '../storage/database.ts';
import { listDeliveries, listWebhooks, type Delivery, type Webhook } from '../storage/webhooks.ts';

/** The events a webhook may subscribe to: the API's schema offers them, the dispatcher sends them. */
export { WEBHOOK_EVENTS } from '../storage/webhooks.ts';

export async function listCompanyWebhooks(db: Db, companyId: string): Promise<Webhook[]> {
  return listWebhooks(db, companyId);
}

/** A webhook's recent deliveries; another company's webhook is not found. */
export async function listWebhookDeliveries(db: Db, companyId: string, webhookId: string): Promise<Delivery[]> {
  return listDeliveries(db, companyId, webhookId);
}
