import { companyLanguage } from '../domain/ledger.ts';
import { assertSees, type Actor } from '../shared/actor.ts';
import { auditBy } from '../storage/audit.ts';
import { getCompany } from '../storage/companies.ts';
import { getCustomer, getCustomerByCode } from '../storage/customers.ts';
import type { Db } from '../storage/database.ts';
import type { OutboxMessage } from '../storage/outbox.ts';
import { inTransaction } from '../storage/transactions.ts';
import { dispatchAfterQueueing } from './dispatch-after.ts';
import type { DispatchReport } from './dispatch.ts';
import { sendTestMessage, type TestSendOptions } from './test-send.ts';

export type StepTestInput = Omit<TestSendOptions, 'customerCode' | 'policyName'> & {
  /** Real data of this customer (one the actor sees); without it, sample data in the company's language. */
  customerId?: string;
  /** The same customer by its code (the command line's way of naming one). */
  customerCode?: string;
  policy?: string;
};

/**
 * Test send ("recevoir un message test"): a step's message to one address, nothing recorded in the history, queued
 * with its audit row in one transaction, then one dispatch of the outbox.
 */
export async function sendStepTest(
  db: Db,
  actor: Actor,
  input: StepTestInput,
  options: { dataDir?: string; onError?: (error: unknown) => void } = {},
): Promise<{ message: OutboxMessage; dispatch: DispatchReport }> {
  const { customerId, customerCode: code, policy: policyName, ...rest } = input;
  let customerCode: string | undefined;
  if (customerId || code) {
    const customer = customerId
      ? await getCustomer(db, actor.companyId, customerId)
      : await getCustomerByCode(db, actor.companyId, code!);
    assertSees(actor, customer, customerId ? `customer with id ${customerId}` : `customer ${code}`);
    customerCode = customer.code;
  }
  const company = await getCompany(db, actor.companyId);
  const message = await inTransaction(db, async (trx) => {
    const queued = await sendTestMessage(trx, actor.companyId, {
      ...rest,
      customerCode,
      policyName,
      language: rest.language ?? (customerCode ? undefined : companyLanguage(company)),
    });
    await auditBy(trx, actor, 'mail.test_sent', queued.id, { level: rest.level, to: rest.to });
    return queued;
  });
  return { message, dispatch: await dispatchAfterQueueing(db, actor.companyId, options) };
}
