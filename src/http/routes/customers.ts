import { z } from 'zod';
import { AddressSchema, CustomerKindSchema, LanguageSchema } from '../../domain/ledger.ts';
import { setCustomerHold } from '../../dunning/set-customer-hold.ts';
import { addContact } from '../../customers/add-contact.ts';
import { createCustomer } from '../../customers/create-customer.ts';
import { updateCustomer } from '../../customers/update-customer.ts';
import { customerContacts, customerDetail, listVisibleCustomers } from '../../customers/view-customers.ts';
import { actorOf, scopeOf } from '../auth.ts';
import type { ZodApi } from '../context.ts';
import { decodeCursor, encodeCursor } from '../cursor.ts';
import {
  ContactSchema,
  CustomerDetailSchema,
  CustomerListItemSchema,
  EmailAddressSchema,
  CustomerSchema,
  IdParamsSchema,
  IsoDateSchema,
  page,
  problems,
} from '../schemas.ts';

const tags = ['customers'];
const text = (max = 200) => z.string().trim().max(max).nullable().default(null);
const CustomerInputSchema = z.object({
  code: z.string().trim().min(1).max(50),
  name: z.string().trim().min(1).max(200),
  kind: CustomerKindSchema.default('company'),
  siren: text(20),
  vatNumber: text(20),
  address: AddressSchema.partial()
    .default({})
    .transform((a) => ({
      line1: a.line1 ?? null,
      line2: a.line2 ?? null,
      postcode: a.postcode ?? null,
      city: a.city ?? null,
      country: a.country ?? 'FR',
    })),
  language: LanguageSchema.default('fr'),
  salesRep: text(100),
  paymentTerms: text(),
  notes: text(2000),
});
const CustomerPatchSchema = z
  .object({
    code: z.string().trim().min(1).max(50),
    name: z.string().trim().min(1).max(200),
    kind: CustomerKindSchema,
    siren: z.string().max(20).nullable(),
    vatNumber: z.string().max(20).nullable(),
    address: AddressSchema.partial(),
    language: LanguageSchema,
    salesRep: z.string().max(100).nullable(),
    paymentTerms: z.string().max(200).nullable(),
    notes: z.string().max(2000).nullable(),
  })
  .partial();

export function customerRoutes(api: ZodApi): void {
  api.get(
    '/api/v1/customers',
    {
      config: { access: 'customers.view' },
      schema: {
        tags,
        summary: 'Customers by code with primary e-mail, open invoices and balance (keyset pages)',
        querystring: z.object({
          q: z.string().max(200).optional(),
          salesRep: z.string().max(100).optional(),
          cursor: z.string().max(500).optional(),
          limit: z.coerce.number().int().min(1).max(500).default(50),
        }),
        response: { 200: page(CustomerListItemSchema), ...problems },
      },
    },
    async (request) => {
      const { q, salesRep, cursor, limit } = request.query;
      const { items, more } = await listVisibleCustomers(api.db, scopeOf(request), {
        search: q,
        salesRep,
        afterCode: cursor ? decodeCursor(cursor).n : undefined,
        limit,
      });
      return { items, nextCursor: more ? encodeCursor({ n: items[items.length - 1]!.code }) : null };
    },
  );

  api.post(
    '/api/v1/customers',
    {
      config: { access: 'customers.edit' },
      schema: {
        tags,
        summary: 'Create a customer',
        body: CustomerInputSchema,
        response: { 201: CustomerSchema, ...problems },
      },
    },
    async (request, reply) => reply.code(201).send(await createCustomer(api.db, actorOf(request), request.body)),
  );

  api.get(
    '/api/v1/customers/:id',
    {
      config: { access: 'customers.view' },
      schema: {
        tags,
        summary: 'A customer with its contacts and dunning settings',
        params: IdParamsSchema,
        response: { 200: CustomerDetailSchema, ...problems },
      },
    },
    async (request) => customerDetail(api.db, scopeOf(request), request.params.id),
  );

  api.patch(
    '/api/v1/customers/:id',
    {
      config: { access: 'customers.edit' },
      schema: {
        tags,
        summary: 'Change a customer (only the fields given)',
        params: IdParamsSchema,
        body: CustomerPatchSchema,
        response: { 200: CustomerSchema, ...problems },
      },
    },
    async (request) => updateCustomer(api.db, actorOf(request), request.params.id, request.body),
  );

  api.get(
    '/api/v1/customers/:id/contacts',
    {
      config: { access: 'customers.view' },
      schema: {
        tags,
        summary: 'Contacts of a customer, primary first',
        params: IdParamsSchema,
        response: { 200: z.object({ items: z.array(ContactSchema) }), ...problems },
      },
    },
    async (request) => ({ items: await customerContacts(api.db, scopeOf(request), request.params.id) }),
  );

  api.post(
    '/api/v1/customers/:id/contacts',
    {
      config: { access: 'customers.edit' },
      schema: {
        tags,
        summary: 'Add a contact (primary demotes the previous one)',
        params: IdParamsSchema,
        body: z.object({
          name: text(),
          email: EmailAddressSchema.nullable().default(null),
          phone: text(50),
          role: text(50),
          isPrimary: z.boolean().default(false),
        }),
        response: { 201: ContactSchema, ...problems },
      },
    },
    async (request, reply) =>
      reply.code(201).send(await addContact(api.db, actorOf(request), request.params.id, request.body)),
  );

  api.put(
    '/api/v1/customers/:id/hold',
    {
      config: { access: 'customers.hold' },
      schema: {
        tags,
        summary: 'Pause, block or give a customer its own policy (null clears; absent leaves as is)',
        params: IdParamsSchema,
        body: z.object({
          pausedUntil: IsoDateSchema.nullable().optional(),
          blockedReason: z.string().min(1).max(500).nullable().optional(),
          policy: z.string().min(1).max(100).nullable().optional(),
          law: z
            .enum(['FR', 'DE', 'GB', 'EU'])
            .nullable()
            .optional()
            .describe('the contract\'s "loi applicable" for late-payment charges; null follows the seller\'s law'),
        }),
        response: { 200: CustomerDetailSchema.shape.dunning, ...problems },
      },
    },
    async (request) => setCustomerHold(api.db, actorOf(request), { id: request.params.id }, request.body),
  );
}
