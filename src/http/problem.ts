import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from 'fastify-type-provider-zod';
import { AppError, fromEngineError, httpStatusOf, type FieldIssue, type MessageText } from '../shared/errors.ts';
import { validationReason } from '../shared/validation-reason.ts';
import type { Language } from '../domain/ledger.ts';
import { fieldLabel, hasMessage, issueReason, translator } from '../i18n/index.ts';
import { requestLanguage } from './language.ts';

/**
 * Every error leaves as RFC 9457 application/problem+json with a stable `code` (the AppError code) and,
 * for bad input, each field's path. Unexpected failures are logged with their stack and answered with
 * a bare 500: no stack trace, SQL or file path reaches a client. The `title` is the code's generic text
 * (`errors.<code>`), said in the reader's language like the message (RFC 9457 lets a title vary by localisation).
 */

export type Problem = {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: string;
  instance?: string;
  errors?: (FieldIssue & { message?: string })[];
  messageKey: string;
  /** `messageKey` said in the reader's language. */
  message?: string;
  params?: Record<string, string | number>;
};

/**
 * Every problem names a catalogue message (`messageKey`, `params`) so each reader gets it in their language:
 * the refusal's own, else its code's generic text (`errors.not_found`); `detail` stays in English for logs.
 */
export function problem(
  code: string,
  status: number,
  detail: string,
  errors?: FieldIssue[],
  text: MessageText = { key: `errors.${code}` },
): Problem {
  return {
    type: `https://relance.dev/problems/${code.replace(/_/g, '-')}`,
    // Said in the reader's language when the problem is sent (inReaderLanguage), like `message`.
    title: code,
    status,
    detail,
    code,
    ...(errors && errors.length > 0
      ? {
          // Each reason's catalogue key and params go along, so a client says it in its reader's language.
          errors: errors.map(({ field, reason, line, code, params }) => ({
            field,
            reason,
            ...(line === undefined ? {} : { line }),
            ...(code === undefined ? {} : { code }),
            ...(params === undefined ? {} : { params }),
          })),
        }
      : {}),
    messageKey: text.key,
    ...(text.params ? { params: text.params } : {}),
  };
}

function toProblem(error: unknown, request: FastifyRequest): Problem {
  if (hasZodFastifySchemaValidationErrors(error)) {
    const where = (error as FastifyError).validationContext ?? 'body';
    const issues = error.validation.map((v) => ({
      field: [where, ...v.instancePath.split('/').filter(Boolean)].join('.'),
      reason: v.message ?? 'invalid',
      ...validationReason(v.keyword, v.params, v.message ?? ''),
    }));
    const noun = issues.length === 1 ? 'problem' : 'problems';
    return problem('invalid_input', 422, `The request ${where} is invalid: ${issues.length} ${noun}.`, issues, {
      key: 'problem.http.invalidRequest',
      params: { count: issues.length },
    });
  }
  const known = error instanceof AppError ? error : fromEngineError(error);
  if (known) {
    return problem(known.code, httpStatusOf(known), known.message, known.issues, known.text);
  }
  const fastifyError = error as FastifyError;
  if (
    !isResponseSerializationError(fastifyError as never) &&
    fastifyError.statusCode &&
    fastifyError.statusCode < 500
  ) {
    const status = fastifyError.statusCode;
    const code =
      status === 413
        ? 'payload_too_large'
        : status === 404
          ? 'not_found'
          : status === 415 || status === 406
            ? 'usage'
            : status === 429
              ? 'rate_limited'
              : status === 401
                ? 'unauthenticated'
                : status === 403
                  ? 'forbidden'
                  : 'usage';
    // Said in the reader's language by its code's generic text; the detail stays for API clients.
    return problem(code, status, fastifyError.message);
  }
  request.log.error({ err: error }, 'unexpected failure');
  return problem('internal', 500, 'An unexpected error occurred; it has been logged.', [], {
    key: 'problem.internal.unexpected',
  });
}

export function sendProblem(reply: FastifyReply, body: Problem): FastifyReply {
  const language = requestLanguage(reply.request) ?? 'fr';
  return reply
    .code(body.status)
    .type('application/problem+json')
    .header('content-language', language)
    .send(inReaderLanguage(body, language));
}

/**
 * The problem with its message, and each issue's, written in the reader's language (Accept-Language, French unless
 * it asks for English), for a client that shows them as they come; `detail` and `reason` stay English for logs.
 */
export function inReaderLanguage(body: Problem, language: Language): Problem {
  const t = translator(language);
  const titleKey = `errors.${body.code}`;
  return {
    ...body,
    title: hasMessage(language, titleKey) ? t(titleKey) : body.code,
    message: hasMessage(language, body.messageKey) ? t(body.messageKey, body.params) : body.detail,
    ...(body.errors
      ? {
          errors: body.errors.map((issue) => ({
            ...issue,
            message: t('cli.issue', { field: fieldLabel(issue.field, language), reason: issueReason(issue, language) }),
          })),
        }
      : {}),
  };
}

export function errorHandler(error: unknown, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const body = toProblem(error, request);
  if (reply.sent) return reply;
  return sendProblem(reply, { ...body, instance: request.url.split('?')[0] });
}
