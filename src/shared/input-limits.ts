import { AppError } from './errors.ts';

/**
 * Hard limits on what an upload may cost, as settings (environment variables) with safe defaults. They
 * bound the work a hostile file can make the server do: a 400 KB PDF whose attachment inflates to 400 MiB,
 * a CSV of 100 MB of bad rows. Reached, the file is refused with the limit that was hit.
 */
export type InputLimits = {
  /** Bytes one embedded file (a Factur-X XML) may inflate to. RELANCE_MAX_INFLATED_BYTES, default 32 MiB. */
  maxInflatedBytes: number;
  /** Seconds reading the files of one upload may take in its worker thread. RELANCE_UPLOAD_SECONDS, default 30. */
  uploadSeconds: number;
  /** Heap of that worker thread, in MiB. RELANCE_UPLOAD_MEMORY_MB, default 256. */
  uploadMemoryMb: number;
  /** Bytes of one CSV or bank-statement file, sent to the API or read by the CLI. RELANCE_MAX_CSV_BYTES, default 64 MiB. */
  maxCsvBytes: number;
  /** Data rows of one CSV file (lines of a bank statement), API or CLI. RELANCE_MAX_CSV_ROWS, default 1,000,000. */
  maxCsvRows: number;
};

export const DEFAULT_INPUT_LIMITS: InputLimits = {
  maxInflatedBytes: 32 * 1024 * 1024,
  uploadSeconds: 30,
  uploadMemoryMb: 256,
  maxCsvBytes: 64 * 1024 * 1024,
  maxCsvRows: 1_000_000,
};

const ENV: Record<keyof InputLimits, string> = {
  maxInflatedBytes: 'RELANCE_MAX_INFLATED_BYTES',
  uploadSeconds: 'RELANCE_UPLOAD_SECONDS',
  uploadMemoryMb: 'RELANCE_UPLOAD_MEMORY_MB',
  maxCsvBytes: 'RELANCE_MAX_CSV_BYTES',
  maxCsvRows: 'RELANCE_MAX_CSV_ROWS',
};

/** The defaults, each replaced by its environment variable when that is a positive number. */
export function inputLimits(env: NodeJS.ProcessEnv = process.env): InputLimits {
  const limits = { ...DEFAULT_INPUT_LIMITS };
  for (const key of Object.keys(ENV) as (keyof InputLimits)[]) {
    const value = Number(env[ENV[key]]);
    if (env[ENV[key]] !== undefined && Number.isFinite(value) && value > 0) limits[key] = value;
  }
  return limits;
}

/** Refuses a file of `size` bytes over `maxBytes`, naming it and the setting that raises the limit. */
export function refuseOversizeFile(fileName: string, size: number, maxBytes: number): void {
  if (size <= maxBytes) return;
  throw new AppError(
    'invalid_input',
    `${fileName}: ${size} bytes, over the limit of ${maxBytes} bytes for one file (RELANCE_MAX_CSV_BYTES).`,
    [
      {
        field: 'file',
        reason: `over the limit of ${maxBytes} bytes`,
        code: 'reason.overLimit',
        params: { limit: maxBytes },
      },
    ],
    { key: 'limits.fileTooLarge', params: { file: fileName, size, limit: maxBytes } },
  );
}
