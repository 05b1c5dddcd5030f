import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { loginLimiter } from '../../accounts/login-limiter.ts';
import { PORTAL_HEADERS } from '../../portal/html.ts';
import { MAX_FILE_BYTES, type UploadedFile } from '../../portal/portal-input.ts';
import { tooManyPage } from '../../portal/portal-page.ts';
import {
  portalDocument,
  portalInvoiceQr,
  postPortalAnswer,
  showPortal,
  type PortalReply,
} from '../../portal/show-portal.ts';

export type PortalLimit = { max: number; windowMs: number };

type Params = { token: string };

function send(reply: FastifyReply, answer: PortalReply) {
  reply.headers(PORTAL_HEADERS);
  if (answer.kind === 'redirect') return reply.code(303).header('location', answer.location).send();
  if (answer.kind === 'svg') return reply.code(200).header('content-type', 'image/svg+xml').send(answer.svg);
  if (answer.kind === 'pdf')
    return reply
      .code(200)
      .header('content-type', 'application/pdf')
      .header('content-disposition', `attachment; filename="${answer.filename.replace(/[^A-Za-z0-9._-]/g, '_')}"`)
      .send(answer.pdf);
  return reply.code(answer.status).send(answer.html);
}

/**
 * The customer's payment page, outside the API and without an account: the token in the path is the only key.
 * Requests are counted per client address and per token, so neither guessing nor hammering one link gets far.
 */
export async function portalRoutes(app: FastifyInstance, limit: PortalLimit): Promise<void> {
  const byAddress = loginLimiter(limit);
  const byToken = loginLimiter(limit);
  await app.register(async (scope) => {
    scope.addContentTypeParser(
      'application/x-www-form-urlencoded',
      { parseAs: 'string', bodyLimit: 64 * 1024 },
      (_request, body, done) => done(null, Object.fromEntries(new URLSearchParams(body as string))),
    );
    scope.addHook('onRequest', async (request: FastifyRequest<{ Params: Params }>, reply) => {
      const token = request.params.token ?? '';
      if (!byAddress.hit(request.ip) || !byToken.hit(token.slice(0, 100)))
        return reply.headers(PORTAL_HEADERS).header('retry-after', '60').code(429).send(tooManyPage());
    });
    const config = { access: 'public' as const };

    scope.get<{ Params: Params; Querystring: { sent?: string } }>(
      '/portal/:token',
      { config },
      async (request, reply) =>
        send(reply, await showPortal(scope.db, request.params.token, { sent: request.query.sent === '1' })),
    );
    scope.get<{ Params: Params & { file: string } }>(
      '/portal/:token/invoices/:file',
      { config },
      async (request, reply) =>
        send(
          reply,
          await portalDocument(scope.db, request.params.token, {
            invoiceId: request.params.file.replace(/\.pdf$/, ''),
          }),
        ),
    );
    scope.get<{ Params: Params & { file: string } }>('/portal/:token/qr/:file', { config }, async (request, reply) =>
      send(reply, await portalInvoiceQr(scope.db, request.params.token, request.params.file.replace(/\.svg$/, ''))),
    );
    scope.get<{ Params: Params }>('/portal/:token/letter.pdf', { config }, async (request, reply) =>
      send(reply, await portalDocument(scope.db, request.params.token, { letter: true })),
    );
    scope.post<{ Params: Params & { form: string } }>('/portal/:token/:form', { config }, async (request, reply) => {
      const { fields, file } = await formOf(request);
      return send(reply, await postPortalAnswer(scope.db, request.params.token, request.params.form, fields, file));
    });
  });
}

/** The posted fields as text, and the one file a dispute may carry (cut off past the limit, then refused). */
async function formOf(request: FastifyRequest): Promise<{ fields: Record<string, string>; file: UploadedFile | null }> {
  if (!request.isMultipart()) {
    const body = (request.body ?? {}) as Record<string, unknown>;
    return {
      fields: Object.fromEntries(Object.entries(body).filter((e): e is [string, string] => typeof e[1] === 'string')),
      file: null,
    };
  }
  const fields: Record<string, string> = {};
  let file: UploadedFile | null = null;
  const parts = request.parts({ limits: { fileSize: MAX_FILE_BYTES, fields: 10, files: 1 } });
  for await (const part of parts) {
    if (part.type === 'file') {
      // Past the limit the reading stops; the answer is then refused with the field named, not dropped.
      const content = await part.toBuffer().catch((error: { code?: string }) => {
        if (error.code === 'FST_REQ_FILE_TOO_LARGE') return Buffer.alloc(MAX_FILE_BYTES + 1);
        throw error;
      });
      if (part.filename) file = { filename: part.filename, mediaType: part.mimetype, content };
    } else if (typeof part.value === 'string') fields[part.fieldname] = part.value;
  }
  return { fields, file };
}
