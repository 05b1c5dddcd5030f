import fastifyCookie from '@fastify/cookie';
import fastifyMultipart from '@fastify/multipart';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import {
  jsonSchemaTransform,
  jsonSchemaTransformObject,
  serializerCompiler,
  validatorCompiler,
} from 'fastify-type-provider-zod';
import type { Kysely } from 'kysely';
import { loginLimiter } from '../accounts/login-limiter.ts';
import { inputLimits, type InputLimits } from '../shared/input-limits.ts';
import type { Database } from '../storage/schema.ts';
import { registerAuth } from './auth.ts';
import { registerTextGuard } from './text-guard.ts';
import { zodApi } from './context.ts';
import { errorHandler, problem, sendProblem } from './problem.ts';
import { adminRoutes } from './routes/admin.ts';
import { companyRoutes } from './routes/company.ts';
import { composerRoutes } from './routes/composer.ts';
import { documentRoutes } from './routes/documents.ts';
import { customerRoutes } from './routes/customers.ts';
import { replyRoutes } from './routes/replies.ts';
import { customerAnswerRoutes } from './routes/customer-answers.ts';
import { customerWorkspaceRoutes } from './routes/customer-workspace.ts';
import { simulationRoutes } from './routes/simulation.ts';
import { dunningRoutes } from './routes/dunning.ts';
import { importRoutes } from './routes/import.ts';
import { invitationRoutes } from './routes/invitations.ts';
import { invoiceRoutes } from './routes/invoices.ts';
import { mailSettingsRoutes } from './routes/mail-settings.ts';
import { outboxRoutes } from './routes/outbox.ts';
import { quoteRoutes } from './routes/quotes.ts';
import { reportRoutes } from './routes/reports.ts';
import { sessionRoutes } from './routes/session.ts';
import { settlementRoutes } from './routes/settlements.ts';
import { chequeRoutes } from './routes/cheques.ts';
import { sepaRoutes } from './routes/sepa.ts';
import { templateRoutes } from './routes/templates.ts';
import { workspaceRoutes } from './routes/workspace.ts';
import { rateRoutes } from './routes/rates.ts';
import { dashboardRoutes } from './routes/dashboard.ts';
import { setupRoutes } from './routes/setup.ts';
import { integrationRoutes } from './routes/integrations.ts';
import { portalLinkRoutes } from './routes/portal-links.ts';
import { portalRoutes, type PortalLimit } from './routes/portal.ts';
import { registerWebApp } from './web-app.ts';

export type AppOptions = {
  db: Kysely<Database>;
  logger?: FastifyServerOptions['logger'];
  /**
   * Behind TLS-terminating proxies: how many of them to trust (true = 1). The client address is read from
   * X-Forwarded-For only through that many hops, so a client cannot choose its own address by sending the header.
   */
  trustProxy?: boolean | number;
  /** Login attempts per client address, and per account, and window (lock-out per account is separate). */
  loginLimit?: { max: number; windowMs: number };
  /** Folder of the built web app, served under /; nothing is served there when absent. */
  webRoot?: string;
  maxUploadBytes?: number;
  /** Where .eml files (no SMTP server) and letter batches are written; default ./data. */
  dataDir?: string;
  /** What one upload may cost (inflated size, time, memory, CSV size and rows); default from the environment (`inputLimits`). */
  inputLimits?: Partial<InputLimits>;
  /** Requests to the customers' payment pages per client address, and per link, in a window (default 60 a minute). */
  portalLimit?: PortalLimit;
};

declare module 'fastify' {
  interface FastifyInstance {
    dataDir: string;
    inputLimits: InputLimits;
  }
}

/** proxy-addr's trust function for a number of hops: the i-th address from the socket is a trusted proxy when i < hops. */
function trustedHops(trust: boolean | number | undefined): false | ((address: string, hop: number) => boolean) {
  const hops = trust === true ? 1 : typeof trust === 'number' ? trust : 0;
  return hops > 0 ? (_address, hop) => hop < hops : false;
}

/** The whole HTTP API as one Fastify instance; `inject` it in tests, `listen` it in `relance serve`. */
export async function buildApp(options: AppOptions): Promise<FastifyInstance> {
  const app = Fastify({
    logger: options.logger ?? false,
    trustProxy: trustedHops(options.trustProxy),
    bodyLimit: 2 * 1024 * 1024,
  });
  app.decorate('db', options.db);
  app.decorate('dataDir', options.dataDir ?? 'data');
  app.decorate('inputLimits', { ...inputLimits(), ...options.inputLimits });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.setErrorHandler(errorHandler);
  app.setNotFoundHandler((request, reply) => {
    sendProblem(reply, {
      ...problem('not_found', 404, `No route ${request.method} ${request.url.split('?')[0]}.`),
      instance: request.url.split('?')[0],
    });
  });
  await app.register(fastifyCookie);
  await app.register(fastifyMultipart, {
    limits: { fileSize: options.maxUploadBytes ?? 200 * 1024 * 1024, files: 1, fields: 10 },
  });
  await app.register(fastifySwagger, {
    openapi: {
      info: {
        title: 'relance API',
        version: '1',
        description:
          'Unpaid-invoice chasing: ledger, dunning, accounts. Errors are ' +
          'application/problem+json. Authenticate with the session cookie (writes also need the x-csrf-token header) or ' +
          '"Authorization: Bearer <API token>".',
      },
      components: {
        securitySchemes: {
          bearer: { type: 'http', scheme: 'bearer' },
          cookie: { type: 'apiKey', in: 'cookie', name: 'relance_session' },
        },
      },
      security: [{ bearer: [] }, { cookie: [] }],
    },
    transform: jsonSchemaTransform,
    transformObject: jsonSchemaTransformObject,
  });
  await app.register(fastifySwaggerUi, { routePrefix: '/api/docs' });
  registerAuth(app);
  registerTextGuard(app);

  const api = zodApi(app);
  sessionRoutes(api, loginLimiter(options.loginLimit ?? { max: 20, windowMs: 5 * 60_000 }));
  companyRoutes(api);
  customerRoutes(api);
  replyRoutes(api);
  customerAnswerRoutes(api);
  customerWorkspaceRoutes(api);
  simulationRoutes(api);
  invoiceRoutes(api);
  settlementRoutes(api);
  chequeRoutes(api);
  sepaRoutes(api);
  quoteRoutes(api);
  importRoutes(api);
  dunningRoutes(api);
  adminRoutes(api);
  invitationRoutes(api);
  reportRoutes(api);
  documentRoutes(api);
  templateRoutes(api);
  outboxRoutes(api);
  mailSettingsRoutes(api);
  composerRoutes(api);
  workspaceRoutes(api);
  dashboardRoutes(api);
  rateRoutes(api);
  setupRoutes(api);
  integrationRoutes(api);
  portalLinkRoutes(api);
  await portalRoutes(
    app,
    options.portalLimit ?? { max: Number(process.env.RELANCE_PORTAL_LIMIT ?? 60), windowMs: 60_000 },
  );
  await registerWebApp(app, options.webRoot);
  await app.ready();
  return app;
}
