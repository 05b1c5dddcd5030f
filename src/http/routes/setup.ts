import { z } from 'zod';
import { setupChecklist } from '../../accounts/setup-checklist.ts';
import { purgeDemo } from '../../demo/purge-demo.ts';
import { actorOf, principalOf } from '../auth.ts';
import type { ZodApi } from '../context.ts';
import { problems } from '../schemas.ts';

const tags = ['company'];
const StepSchema = z.object({
  key: z.enum(['admin', 'identity', 'smtp', 'policy', 'import']),
  done: z.boolean(),
  missing: z.array(z.string()),
});
const ChecklistSchema = z.object({ done: z.boolean(), demo: z.boolean(), steps: z.array(StepSchema) });

/** The set-up checklist the dashboard shows until every step is done, and the purge of demonstration data. */
export function setupRoutes(api: ZodApi): void {
  api.get(
    '/api/v1/setup',
    {
      config: { access: 'setup.view' },
      schema: {
        tags,
        summary:
          'Where the set-up stands: administrator, identity, e-mail, policy, first import (and whether the data is a demo)',
        response: { 200: ChecklistSchema, ...problems },
      },
    },
    async (request) => setupChecklist(api.db, principalOf(request).companyId),
  );

  api.post(
    '/api/v1/demo/purge',
    {
      config: { access: 'demo.purge' },
      schema: {
        tags,
        summary: 'Delete the demonstration data (ledger, reminders, e-mails, demo identity); refused on real data',
        response: { 200: ChecklistSchema, ...problems },
      },
    },
    async (request) => purgeDemo(api.db, actorOf(request)),
  );
}
