import { PassThrough } from 'node:stream';
import { z } from 'zod';
import { AppError, fromEngineError, httpStatusOf } from '../../shared/errors.ts';
import { inputLimits } from '../../shared/input-limits.ts';
import { PARSE_CSV_MODULE, type ParsedCsv } from '../../import/parse-csv.ts';
import { importCsv, ImportKindSchema, type ImportReport } from '../../import/run-import.ts';
import { readInUploadThread } from '../../shared/upload-thread.ts';
import { actorOf } from '../auth.ts';
import type { ZodApi } from '../context.ts';
import { inReaderLanguage, problem } from '../problem.ts';
import { requestLanguage } from '../language.ts';
import { ImportReportSchema, problems } from '../schemas.ts';

const flag = z
  .enum(['true', 'false', '1', '0'])
  .optional()
  .transform((v) => v === 'true' || v === '1');
const MappingSchema = z.record(z.string(), z.string().nullable());

/**
 * The body of an import that refuses the file: the problem, with the whole report so each bad row can be listed,
 * and its catalogue message (messageKey, params) so a client says it in its reader's language.
 */
function refusal(report: ImportReport) {
  const what = report.headerProblem
    ? `the header of ${report.file} does not fit`
    : `${report.badRows} bad ${report.badRows === 1 ? 'row' : 'rows'} in ${report.file}`;
  return {
    type: 'https://relance.dev/problems/invalid-input',
    title: 'Invalid input',
    status: 422,
    code: 'invalid_input',
    detail: `${what}: nothing was imported.`,
    messageKey: report.headerProblem ? 'problem.import.header' : 'problem.import.badRows',
    params: report.headerProblem ? { file: report.file } : { file: report.file, count: report.badRows },
    ...report,
  };
}

/** A file refused before any row is read (a NUL byte, broken UTF-8), in the same shape as bad rows. */
function unreadable(error: AppError, kind: string, file: string, dryRun: boolean) {
  return {
    type: 'https://relance.dev/problems/invalid-input',
    title: 'Invalid input',
    status: 422,
    code: 'invalid_input',
    detail: `${error.message} Nothing was imported.`,
    messageKey: error.messageKey,
    ...(error.params ? { params: error.params } : {}),
    kind,
    file,
    encoding: 'utf-8',
    delimiter: ',',
    rows: 0,
    created: 0,
    updated: 0,
    unchanged: 0,
    badRows: 0,
    issueCount: error.issues.length,
    issues: error.issues,
    ignoredColumns: [],
    columns: {},
    headerProblem: false,
    warnings: [],
    committed: false,
    dryRun,
  };
}

/**
 * CSV import as a multipart upload (field `file`, after an optional `mapping` field: JSON field → header),
 * through the same importCsv as the CLI: the same row-level issues, all or nothing unless skipInvalid.
 * A file with bad rows answers 422 with the report. With `progress=true` the answer is NDJSON: one
 * `{"progress":{"done","total"}}` line per chunk of rows, then `{"status", "report"}` (or `{"status", "problem"}`),
 * so a page can show how far a large file has got.
 */
export function importRoutes(api: ZodApi): void {
  api.post(
    '/api/v1/import/:kind',
    {
      config: { access: 'imports.run' },
      schema: {
        tags: ['import'],
        summary: 'Import customers, invoices, payments or credit notes from a CSV file (multipart field "file")',
        params: z.object({ kind: ImportKindSchema }),
        querystring: z.object({ dryRun: flag, skipInvalid: flag, progress: flag }),
        response: {
          200: ImportReportSchema,
          422: ImportReportSchema.extend({
            type: z.string(),
            title: z.string(),
            status: z.number(),
            detail: z.string(),
            code: z.string(),
            messageKey: z.string(),
            params: z.record(z.string(), z.union([z.string(), z.number()])).optional(),
          }),
          ...Object.fromEntries(Object.entries(problems).filter(([k]) => k !== '422')),
        },
      },
    },
    async (request, reply) => {
      if (!request.isMultipart())
        throw new AppError('usage', 'Send the CSV as multipart/form-data with a "file" field.', [], {
          key: 'problem.http.multipartFile',
        });
      // The size limit is checked as the upload streams in (a 413 once passed), not after buffering it all.
      const limits = api.inputLimits ?? inputLimits();
      const file = await request.file({ limits: { fileSize: limits.maxCsvBytes } });
      if (!file || file.fieldname !== 'file')
        throw new AppError('usage', 'The multipart body needs a "file" field.', [], { key: 'problem.http.fileField' });
      const field = file.fields.mapping;
      const mappingText = field && !Array.isArray(field) && field.type === 'field' ? String(field.value) : null;
      let mapping: Record<string, string | null> | undefined;
      if (mappingText) {
        const parsed = MappingSchema.safeParse(
          (() => {
            try {
              return JSON.parse(mappingText);
            } catch {
              return null;
            }
          })(),
        );
        if (!parsed.success)
          throw new AppError('invalid_input', 'The "mapping" field must be a JSON object of field → column name.', [], {
            key: 'problem.http.mapping',
          });
        mapping = parsed.data;
      }
      const bytes = await file.toBuffer();
      const fileName = file.filename || 'upload.csv';
      const actor = actorOf(request);
      const run = async (onProgress?: (done: number, total: number) => void) => {
        // Decoding and scanning happen in the upload thread, with its time and memory limits.
        const parsed = await readInUploadThread<ParsedCsv>(
          { label: fileName, module: PARSE_CSV_MODULE, fn: 'parseCsv', args: [bytes, fileName, limits.maxCsvRows] },
          limits,
        );
        return importCsv(api.db, actor, {
          kind: request.params.kind,
          fileName,
          bytes,
          parsed,
          dryRun: request.query.dryRun,
          skipInvalid: request.query.skipInvalid,
          mapping,
          onProgress,
          maxRows: limits.maxCsvRows,
        });
      };
      const refused = (report: ImportReport) => report.issueCount > 0 && !request.query.skipInvalid;
      if (request.query.progress) {
        const stream = new PassThrough();
        const line = (value: unknown) => stream.write(`${JSON.stringify(value)}\n`);
        void run((done, total) => line({ progress: { done, total } }))
          .then((report) => line(refused(report) ? { status: 422, report: refusal(report) } : { status: 200, report }))
          .catch((error: unknown) => {
            request.log.error({ err: error }, 'import failed');
            const known = error instanceof AppError ? error : fromEngineError(error);
            const status = known ? httpStatusOf(known) : 500;
            line({
              status,
              problem: inReaderLanguage(
                known
                  ? problem(known.code, status, known.message, known.issues, known.text)
                  : problem('internal', 500, 'An unexpected error occurred; it has been logged.', [], {
                      key: 'problem.internal.unexpected',
                    }),
                requestLanguage(request) ?? 'fr',
              ),
            });
          })
          .finally(() => stream.end());
        return reply
          .type('application/x-ndjson')
          .header('cache-control', 'no-store')
          .send(stream as never);
      }
      let report: ImportReport;
      try {
        report = await run();
      } catch (error) {
        // A file refused before any row is read (a NUL byte, broken UTF-8) answers in the same shape as bad rows.
        if (!(error instanceof AppError) || error.code !== 'invalid_input') throw error;
        return reply
          .code(422)
          .type('application/problem+json')
          .send(unreadable(error, request.params.kind, fileName, request.query.dryRun));
      }
      if (refused(report)) return reply.code(422).type('application/problem+json').send(refusal(report));
      return report;
    },
  );
}
