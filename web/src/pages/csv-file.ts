import Papa from 'papaparse';
import { layoutKey, matchHeaders, type ImportFileKind } from '../../../src/import/header-aliases.ts';
import { ApiError, csrfHeaders } from '../api/client.ts';
import i18n from '../i18n/index.ts';
import type { ImportReport, Problem } from '../api/types.ts';

export type CsvPreview = {
  encoding: 'utf-8' | 'windows-1252';
  delimiter: ';' | ',';
  headers: string[];
  rows: string[][];
};

/** UTF-8 when the bytes are valid UTF-8 (BOM or not), else Windows-1252 as French Excel saves CSV: the server reads it the same way. */
export function decodeCsvBytes(bytes: Uint8Array): { text: string; encoding: CsvPreview['encoding'] } {
  try {
    return { text: new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes), encoding: 'utf-8' };
  } catch {
    return { text: new TextDecoder('windows-1252').decode(bytes), encoding: 'windows-1252' };
  }
}

/** The header and first rows of the file, read with papaparse; the separator is the one the header line uses most. */
export async function previewCsv(file: File, rows = 5): Promise<CsvPreview> {
  // The head of the file is enough to map columns; a 20 MB file is not decoded twice here.
  const head = new Uint8Array(await file.slice(0, 256 * 1024).arrayBuffer());
  let { text, encoding } = decodeCsvBytes(head);
  if (encoding === 'windows-1252' && file.size > head.length) {
    // The slice may end inside a UTF-8 character: decide on the whole file only then.
    const whole = decodeCsvBytes(new Uint8Array(await file.arrayBuffer()));
    ({ text, encoding } = { text: whole.text.slice(0, 256 * 1024), encoding: whole.encoding });
  }
  const firstLine = text.slice(0, text.indexOf('\n') >= 0 ? text.indexOf('\n') : text.length);
  const delimiter = (firstLine.match(/;/g)?.length ?? 0) > (firstLine.match(/,/g)?.length ?? 0) ? ';' : ',';
  const parsed = Papa.parse<string[]>(text, { delimiter, preview: rows + 1, skipEmptyLines: 'greedy' });
  const [headers = [], ...data] = parsed.data;
  return { encoding, delimiter, headers: headers.map((h) => h.trim()), rows: data };
}

const STORAGE_PREFIX = 'relance.import.mapping.';

/** The mapping chosen last time for a file with this header line, else the one the usual column names give. */
export function initialMapping(
  kind: ImportFileKind,
  headers: string[],
): { mapping: Record<string, string | null>; remembered: boolean } {
  const saved = localStorage.getItem(STORAGE_PREFIX + layoutKey(kind, headers));
  if (saved) {
    try {
      const mapping = JSON.parse(saved) as Record<string, string | null>;
      if (Object.values(mapping).every((h) => h === null || headers.includes(h))) return { mapping, remembered: true };
    } catch {
      // A damaged entry is replaced by the automatic mapping.
    }
  }
  const { columns } = matchHeaders(kind, headers);
  return { mapping: Object.fromEntries([...columns].map(([field, at]) => [field, headers[at]!])), remembered: false };
}

export function rememberMapping(kind: ImportFileKind, headers: string[], mapping: Record<string, string | null>): void {
  localStorage.setItem(STORAGE_PREFIX + layoutKey(kind, headers), JSON.stringify(mapping));
}

export type UploadProgress =
  { phase: 'upload'; loaded: number; total: number } | { phase: 'rows'; done: number; total: number };
export type UploadResult = {
  status: number;
  report?: ImportReport & { detail?: string };
  problem?: Partial<Problem>;
};

/**
 * Sends the file with the chosen mapping and follows the import: the upload's bytes, then the rows the
 * server has read (its NDJSON progress lines), then the report, refused (422) or not.
 */
export function uploadCsv(
  url: string,
  file: File,
  mapping: Record<string, string | null>,
  onProgress: (p: UploadProgress) => void,
): Promise<UploadResult> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    const form = new FormData();
    form.append('mapping', JSON.stringify(mapping));
    form.append('file', file);
    let read = 0;
    let last: UploadResult | null = null;
    const consume = () => {
      const text = xhr.responseText;
      let end = text.indexOf('\n', read);
      while (end >= 0) {
        const line = text.slice(read, end).trim();
        read = end + 1;
        if (line !== '') {
          const value = JSON.parse(line) as { progress?: { done: number; total: number } } & UploadResult;
          if (value.progress) onProgress({ phase: 'rows', ...value.progress });
          else last = value;
        }
        end = text.indexOf('\n', read);
      }
    };
    xhr.open('POST', `${url}${url.includes('?') ? '&' : '?'}progress=true`);
    for (const [name, value] of Object.entries(csrfHeaders())) xhr.setRequestHeader(name, value);
    xhr.upload.onprogress = (event) =>
      onProgress({ phase: 'upload', loaded: event.loaded, total: event.total || file.size });
    xhr.onprogress = consume;
    // The server out of reach, or an answer cut short: shown to the reader, so said from the catalogue.
    const unavailable = () =>
      new ApiError(0, 'unavailable', i18n.t('errors.unavailable', { ns: 'messages' }), [], 'errors.unavailable');
    xhr.onerror = () => reject(unavailable());
    xhr.onload = () => {
      if (xhr.getResponseHeader('content-type')?.includes('ndjson')) {
        consume();
        if (last) resolve(last);
        else reject(unavailable());
        return;
      }
      // Refused before the import began (rights, a malformed request): a problem+json answer.
      let problem: Partial<Problem> | undefined;
      try {
        problem = JSON.parse(xhr.responseText) as Partial<Problem>;
      } catch {
        // No problem+json (a proxy's page): the status alone says what went wrong.
      }
      if (xhr.status === 401) window.dispatchEvent(new CustomEvent('relance:unauthenticated'));
      resolve({ status: xhr.status, problem });
    };
    xhr.send(form);
  });
}
