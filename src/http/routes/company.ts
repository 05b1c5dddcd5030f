import { z } from 'zod';
import { AddressSchema } from '../../domain/ledger.ts';
import { createCompanyAsAdmin } from '../../accounts/invitations.ts';
import { getCompany, updateCompany } from '../../storage/companies.ts';
import { inTransaction } from '../../storage/transactions.ts';
import { listUserCompanies } from '../../storage/users.ts';
import { principalOf } from '../auth.ts';
import { audit, type ZodApi } from '../context.ts';
import { CompanySchema, problems } from '../schemas.ts';

const tags = ['company'];
const AutomationSchema = CompanySchema.shape.automation;
const CompanyPatchSchema = CompanySchema.omit({ id: true, address: true, automation: true, demoData: true }).partial().extend({
  address: AddressSchema.partial().optional(),
  automation: AutomationSchema.partial().optional(),
});

export function companyRoutes(api: ZodApi): void {
  api.get('/api/v1/company', {
    config: { access: 'read' },
    schema: { tags, summary: 'The current company and its settings', response: { 200: CompanySchema, ...problems } },
  }, async (request) => getCompany(api.db, principalOf(request).companyId));

  api.patch('/api/v1/company', {
    config: { access: 'admin' },
    schema: { tags, summary: 'Change company settings (only the fields given)', body: CompanyPatchSchema,
      response: { 200: CompanySchema, ...problems } },
  }, async (request) => inTransaction(api.db, async (trx) => {
    const updated = await updateCompany(trx, principalOf(request).companyId, request.body);
    await audit(request, trx, 'company.updated', principalOf(request).companyId, { fields: Object.keys(request.body) });
    return updated;
  }));

  api.get('/api/v1/company/automation', {
    config: { access: 'read' },
    schema: { tags, summary: 'Automatic mode settings', response: { 200: AutomationSchema, ...problems } },
  }, async (request) => (await getCompany(api.db, principalOf(request).companyId)).automation);

  api.put('/api/v1/company/automation', {
    config: { access: 'admin' },
    schema: { tags, summary: 'Switch automatic mode, its time, weekends and holidays', body: AutomationSchema.partial(),
      response: { 200: AutomationSchema, ...problems } },
  }, async (request) => inTransaction(api.db, async (trx) => {
    const updated = await updateCompany(trx, principalOf(request).companyId, { automation: request.body });
    await audit(request, trx, 'automation.updated', principalOf(request).companyId, request.body);
    return updated.automation;
  }));

  api.get('/api/v1/companies', {
    config: { access: 'authenticated' },
    schema: { tags, summary: 'The companies the user belongs to',
      response: { 200: z.object({ items: z.array(z.object({ id: z.string(), legalName: z.string(), role: z.string() })) }), ...problems } },
  }, async (request) => ({ items: (await listUserCompanies(api.db, principalOf(request).userId))
    .map((c) => ({ id: c.companyId, legalName: c.legalName, role: c.role })) }));

  api.post('/api/v1/companies', {
    config: { access: 'installation' },
    schema: { tags, summary: 'Create another company (administrators of the installation only); its creator is its admin',
      body: z.object({ legalName: z.string().min(1).max(200) }), response: { 201: CompanySchema, ...problems } },
  }, async (request, reply) => reply.code(201).send(await createCompanyAsAdmin(api.db, principalOf(request), request.body)));
}
