import { z } from 'zod';
import { AppError } from '../../shared/errors.ts';
import { inputLimits } from '../../shared/input-limits.ts';
import { importCsv, ImportKindSchema, type ImportReport } from '../../import/run-import.ts';
import { recordAudit } from '../../storage/audit.ts';
import { principalOf } from '../auth.ts';
import type { ZodApi } from '../context.ts';
import { ImportReportSchema, problems } from '../schemas.ts';

const flag = z.enum(['true', 'false', '1', '0']).optional().transform((v) => v === 'true' || v === '1');

/**
 * CSV import as a multipart upload (field `file`), through the same importCsv as the CLI: the same
 * row-level issues, all or nothing unless skipInvalid. A file with bad rows answers 422 with the report.
 */
export function importRoutes(api: ZodApi): void {
  api.post('/api/v1/import/:kind', {
    config: { access: 'admin' },
    schema: { tags: ['import'], summary: 'Import customers, invoices, payments or credit notes from a CSV file (multipart field "file")',
      params: z.object({ kind: ImportKindSchema }),
      querystring: z.object({ dryRun: flag, skipInvalid: flag }),
      response: { 200: ImportReportSchema, 422: ImportReportSchema.extend({ type: z.string(), title: z.string(), status: z.number(),
        detail: z.string(), code: z.string() }), ...Object.fromEntries(Object.entries(problems).filter(([k]) => k !== '422')) } },
  }, async (request, reply) => {
    if (!request.isMultipart()) throw new AppError('usage', 'Send the CSV as multipart/form-data with a "file" field.');
    // The size limit is checked as the upload streams in (a 413 once passed), not after buffering it all.
    const limits = api.inputLimits ?? inputLimits();
    const file = await request.file({ limits: { fileSize: limits.maxCsvBytes } });
    if (!file || file.fieldname !== 'file') throw new AppError('usage', 'The multipart body needs a "file" field.');
    const bytes = await file.toBuffer();
    const p = principalOf(request);
    const fileName = file.filename || 'upload.csv';
    let report: ImportReport;
    try {
      report = await importCsv(api.db, p.companyId, { kind: request.params.kind, fileName, bytes,
        dryRun: request.query.dryRun, skipInvalid: request.query.skipInvalid, maxRows: limits.maxCsvRows });
    } catch (error) {
      // A file refused before any row is read (a NUL byte, broken UTF-8) answers in the same shape as bad rows.
      if (!(error instanceof AppError) || error.code !== 'invalid_input') throw error;
      return reply.code(422).type('application/problem+json').send({ type: 'https://relance.dev/problems/invalid-input',
        title: 'Invalid input', status: 422, code: 'invalid_input', detail: `${fileName}: ${error.message} Nothing was imported.`,
        kind: request.params.kind, file: fileName, encoding: 'utf-8', delimiter: ',', rows: 0, created: 0, updated: 0, unchanged: 0,
        badRows: 0, issueCount: error.issues.length, issues: error.issues, ignoredColumns: [], warnings: [], committed: false,
        dryRun: request.query.dryRun });
    }
    if (report.committed && !report.dryRun) {
      await recordAudit(api.db, p.companyId, { userId: p.userId, actor: p.email, action: 'import', target: request.params.kind,
        details: { file: report.file, created: report.created, updated: report.updated, badRows: report.badRows } });
    }
    if (report.issueCount > 0 && !request.query.skipInvalid) {
      return reply.code(422).type('application/problem+json').send({ type: 'https://relance.dev/problems/invalid-input',
        title: 'Invalid input', status: 422, code: 'invalid_input',
        detail: `${report.badRows} bad row(s) in ${report.file}: nothing was imported.`, ...report });
    }
    return report;
  });
}
