import { formatDateText, moneyText } from '../communications/format.ts';
import { isMoney, type Cell, type Column } from './table.ts';

const formats = new Map<string, Intl.NumberFormat>();

/** A cell as a reader sees it (PDF, terminal): `1 234,56 €`, `31/05/2025`, `33,3 %` in French. */
export function cellText(cell: Cell, column: Column, language: 'fr' | 'en'): string {
  if (cell === null) return '';
  if (isMoney(cell)) return moneyText(cell.cents, cell.currency, language).text;
  if (typeof cell === 'number') {
    const key = `${language} ${column.kind === 'percent'}`;
    let format = formats.get(key);
    if (!format) {
      format = new Intl.NumberFormat(
        language === 'fr' ? 'fr-FR' : 'en-GB',
        column.kind === 'percent' ? { style: 'percent', maximumFractionDigits: 1 } : { maximumFractionDigits: 1 },
      );
      formats.set(key, format);
    }
    return format.format(cell);
  }
  return column.kind === 'date' && /^\d{4}-\d{2}-\d{2}$/.test(cell) ? formatDateText(cell, language) : cell;
}
