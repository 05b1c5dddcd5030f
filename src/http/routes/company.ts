import { z } from 'zod';
import { AddressSchema } from '../../domain/ledger.ts';
import { createCompanyAsAdmin } from '../../accounts/invitations.ts';
import { companyLogo, setCompanyLogo } from '../../accounts/company-logo.ts';
import { listMyCompanies } from '../../accounts/session-info.ts';
import { updateCompany } from '../../accounts/update-company.ts';
import { viewCompany } from '../../accounts/view-company.ts';
import { actorOf, principalOf } from '../auth.ts';
import type { ZodApi } from '../context.ts';
import { CompanySchema, problems } from '../schemas.ts';
import { automationOf, changeAutomation } from '../../scheduler/automation.ts';

const tags = ['company'];
const AutomationSchema = CompanySchema.shape.automation;
const AutomationViewSchema = AutomationSchema.extend({
  nextRunAt: z
    .string()
    .nullable()
    .describe('when the next automatic run starts (ISO date-time with the company offset); null when off'),
});
const LogoViewSchema = z.object({
  logo: z.object({ mediaType: z.string(), bytes: z.number().int() }).nullable(),
});
const CompanyPatchSchema = CompanySchema.omit({ id: true, address: true, automation: true, demoData: true })
  .partial()
  .extend({
    address: AddressSchema.partial().optional(),
    automation: AutomationSchema.partial().optional(),
  });

export function companyRoutes(api: ZodApi): void {
  api.get(
    '/api/v1/company',
    {
      config: { access: 'company.view' },
      schema: { tags, summary: 'The current company and its settings', response: { 200: CompanySchema, ...problems } },
    },
    async (request) => viewCompany(api.db, principalOf(request).companyId),
  );

  api.patch(
    '/api/v1/company',
    {
      config: { access: 'company.configure' },
      schema: {
        tags,
        summary: 'Change company settings (only the fields given)',
        body: CompanyPatchSchema,
        response: { 200: CompanySchema, ...problems },
      },
    },
    async (request) => updateCompany(api.db, actorOf(request), request.body),
  );

  api.get(
    '/api/v1/company/automation',
    {
      config: { access: 'company.view' },
      schema: {
        tags,
        summary: 'Automatic mode settings and when the next automatic run starts',
        response: { 200: AutomationViewSchema, ...problems },
      },
    },
    async (request) => automationOf(api.db, principalOf(request).companyId),
  );

  api.put(
    '/api/v1/company/automation',
    {
      config: { access: 'company.configure' },
      schema: {
        tags,
        summary: 'Switch automatic mode, its time, weekends and holidays (scheduled at once)',
        body: AutomationSchema.partial(),
        response: { 200: AutomationViewSchema, ...problems },
      },
    },
    async (request) => changeAutomation(api.db, actorOf(request), request.body),
  );

  api.get(
    '/api/v1/company/logo',
    {
      config: { access: 'company.view' },
      schema: {
        tags,
        summary: "The letterhead's logo: its type and size (null when there is none)",
        response: { 200: LogoViewSchema, ...problems },
      },
    },
    async (request) => ({ logo: await companyLogo(api.db, principalOf(request).companyId) }),
  );

  api.put(
    '/api/v1/company/logo',
    {
      // A 2 MB image, base64-encoded, in a JSON body.
      bodyLimit: 3 * 1024 * 1024,
      config: { access: 'company.configure' },
      schema: {
        tags,
        summary: 'Set (PNG or JPEG, base64, under 2 MB) or remove (null) the logo printed in the letterhead',
        body: z.object({ image: z.string().nullable().describe('the image file, base64-encoded; null removes it') }),
        response: { 200: LogoViewSchema, ...problems },
      },
    },
    async (request) => ({ logo: await setCompanyLogo(api.db, actorOf(request), request.body.image) }),
  );

  api.get(
    '/api/v1/companies',
    {
      config: { access: 'authenticated' },
      schema: {
        tags,
        summary: 'The companies the user belongs to',
        response: {
          200: z.object({ items: z.array(z.object({ id: z.string(), legalName: z.string(), role: z.string() })) }),
          ...problems,
        },
      },
    },
    async (request) => ({ items: await listMyCompanies(api.db, principalOf(request).userId) }),
  );

  api.post(
    '/api/v1/companies',
    {
      config: { access: 'companies.create' },
      schema: {
        tags,
        summary: 'Create another company (administrators of the installation only); its creator is its admin',
        body: z.object({ legalName: z.string().min(1).max(200) }),
        response: { 201: CompanySchema, ...problems },
      },
    },
    async (request, reply) =>
      reply.code(201).send(await createCompanyAsAdmin(api.db, principalOf(request), request.body)),
  );
}
