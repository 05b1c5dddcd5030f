import type { IsoDate } from '../domain/calendar.ts';

/**
 * What every export (CSV, XLSX, PDF) draws: titled tables of typed cells. Amounts stay integer cents with
 * their currency until the format decides how to write them (a number in a spreadsheet, text in a PDF).
 */
export type Money = { cents: number; currency: string };
export type Cell = string | number | Money | null;
export type ColumnKind = 'text' | 'date' | 'count' | 'number' | 'money' | 'percent';
export type Column = {
  header: string;
  kind: ColumnKind;
  /** Relative width in the PDF (default 1). */ weight?: number;
};
export type ReportTable = {
  title: string;
  columns: Column[];
  rows: Cell[][];
  /** Rows drawn in bold at the end (totals). */ totalRows?: number;
};
export type ReportDocument = { title: string; date: IsoDate; language: 'fr' | 'en'; tables: ReportTable[] };

export const isMoney = (cell: Cell): cell is Money => typeof cell === 'object' && cell !== null;
