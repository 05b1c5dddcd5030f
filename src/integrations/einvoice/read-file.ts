import { AppError, type FieldIssue } from '../../shared/errors.ts';
import { DEFAULT_INPUT_LIMITS } from '../../shared/input-limits.ts';
import { decodeXml, parseXml, XmlReader } from '../xml.ts';
import { embeddedPdf, isPdf, readEInvoiceXml, type EInvoice } from './read-einvoice.ts';
import { extractInvoiceXml } from './pdf-attachment.ts';
import { readLifecycleStatuses, type LifecycleStatus } from './read-status.ts';

export type InputFile = { fileName: string; bytes: Uint8Array };

/** This module, for the upload thread to load (`read-in-worker.ts`). */
export const READ_FILE_MODULE = import.meta.url;

export type ReadFile =
  | { kind: 'invoice'; fileName: string; invoice: EInvoice; pdf: { filename: string; bytes: Uint8Array } | null }
  | { kind: 'status'; fileName: string; statuses: LifecycleStatus[] };

/** What reading one file gave: the file read, or the refusal (an AppError's message and issues). */
/** A refusal crosses a worker thread as data: its English message, its issues and its catalogue key and params. */
export type ReadOutcome =
  | { ok: ReadFile }
  | { refused: { message: string; issues: FieldIssue[]; key?: string; params?: Record<string, string | number> } };

/**
 * Tells a Factur-X PDF, a CII or UBL invoice and a CDAR status message apart and reads it. No database:
 * this is the part of an import that may run in a worker thread (`read-in-worker.ts`).
 */
export async function readFile(
  file: InputFile,
  maxInflatedBytes = DEFAULT_INPUT_LIMITS.maxInflatedBytes,
): Promise<ReadFile> {
  const reader = new XmlReader(file.fileName);
  const fromPdf = isPdf(file.bytes);
  const text = fromPdf ? await extractInvoiceXml(file.bytes, reader, maxInflatedBytes) : decodeXml(file.bytes);
  const { rootName, root } = parseXml(text, reader);
  if (rootName === 'CrossDomainAcknowledgementAndResponse') {
    return { kind: 'status', fileName: file.fileName, statuses: readLifecycleStatuses(reader, root) };
  }
  const invoice = readEInvoiceXml(reader, rootName, root, fromPdf);
  return {
    kind: 'invoice',
    fileName: file.fileName,
    invoice,
    pdf: fromPdf ? { filename: file.fileName, bytes: file.bytes } : embeddedPdf(rootName, root, invoice.number),
  };
}

/** `readFile` with its refusal as a value, so it can cross a thread; anything unexpected is a refusal too, never a crash. */
export async function readOutcome(file: InputFile, maxInflatedBytes?: number): Promise<ReadOutcome> {
  try {
    return { ok: await readFile(file, maxInflatedBytes) };
  } catch (error) {
    if (error instanceof AppError)
      return { refused: { message: error.message, issues: error.issues, key: error.messageKey, params: error.params } };
    const detail = String((error as Error)?.message ?? error).slice(0, 200);
    const reason = `cannot be read (${detail})`;
    return {
      refused: {
        message: `${file.fileName}: ${reason}.`,
        issues: [{ field: 'file', reason, code: 'reason.unreadable', params: { detail } }],
        key: 'problem.file.unreadable',
        params: { file: file.fileName, reason: detail },
      },
    };
  }
}
